/* SPDX-License-Identifier: Apache-2.0 */
/* helloworld: what its data plane and control plane share. */
#ifndef HELLOWORLD_H
#define HELLOWORLD_H

#include <linux/types.h>

#define HW_MAX_PORTS 2

enum hw_action {
	HW_DROP = 0,
	HW_SLOWPATH,
	HW_FORWARD,
};

/* Data-path log messages (index = code). */
enum hw_log {
	HW_LOG_RX = 0,	/* "[INGRESS] Receiving packet from port %u" */
	HW_LOG_FWD,
	HW_LOG_DROP,
	HW_LOG_SLOWPATH,
};

struct hw_cfg {
	__u32 action;			/* enum hw_action */
	__u32 nports;			/* ports in use, 0..2 */
	__u32 port[HW_MAX_PORTS];	/* their indices */
};

#endif
