/* SPDX-License-Identifier: Apache-2.0 */
/* simpleforwarder: what its data plane and control plane share. */
#ifndef SIMPLEFORWARDER_H
#define SIMPLEFORWARDER_H

#include <linux/types.h>

enum sf_action_kind {
	SF_NONE = 0,	/* no entry for this input port: drop */
	SF_DROP,
	SF_SLOWPATH,
	SF_FORWARD,
};

struct sf_action {
	__u32 action;	/* enum sf_action_kind */
	__u32 outport;	/* port index, SF_FORWARD */
};

struct sf_stats {
	__u64 pkts;
	__u64 bytes;
};

#endif
