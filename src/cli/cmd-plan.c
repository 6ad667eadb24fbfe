/* TEMPORARY placeholder: being written. */
#include "cli/cmd.h"
static int
cmd_plan_exec(struct cmd_ctx *ctx, struct args *args)
{
	(void)args;
	return err_set(&ctx->err, TEND_EIO, "not yet");
}
const struct cmd_entry cmd_plan_entry = {
	.name = "plan", .usage = "", .summary = "(in progress)",
	.min_args = 0, .max_args = -1, .flags = 0, .exec = cmd_plan_exec
};
