/* SPDX-License-Identifier: Apache-2.0 */
/* transparenthelloworld: what its data plane and control plane share. */
#ifndef TRANSPARENTHELLOWORLD_H
#define TRANSPARENTHELLOWORLD_H

#include <linux/types.h>

enum thw_action {
	THW_PASS = 0,
	THW_DROP,
	THW_SLOWPATH,
};

/* Data-path log messages (index = code); arg = direction. */
enum thw_log {
	THW_LOG_PASS = 0,	/* "[INGRESS|EGRESS] passing packet" */
	THW_LOG_DROP,
	THW_LOG_SLOWPATH,
};

struct thw_cfg {
	__u32 action[2];	/* per enum bn_dir */
};

struct thw_stats {
	__u64 pkts[2];		/* per enum bn_dir */
};

#endif
