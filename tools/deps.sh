#!/bin/sh
# Install the Debian packages named on the command line that are missing.
# Does nothing when all are present.  Uses sudo when not root.
set -eu
missing=""
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "tend: installing:$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get update
# postfix is installed for smtp-sink and smtp-source only: "No
# configuration" keeps it from setting up or starting a mail system.
echo "postfix postfix/main_mailer_type select No configuration" |
    $sudo debconf-set-selections
# dovecot is installed for the tests, which start their own on 127.0.0.1:
# a policy-rc.d that says 101 keeps the package from starting the system's
# dovecot (or any other service) while it is installed.
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
	$sudo chmod 755 "$policy"
	ours=1
fi
status=0
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y \
    --no-install-recommends $missing || status=$?
[ -n "$ours" ] && $sudo rm -f "$policy"
exit $status
