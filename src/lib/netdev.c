// SPDX-License-Identifier: Apache-2.0
/* Network devices of the host: lookup, state, listing. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

int bn_netdev_index(const char *name)
{
	unsigned idx = if_nametoindex(name);

	return idx ? (int)idx : -ENODEV;
}

static int netdev_flags(const char *name, short *flags)
{
	struct ifreq ifr = { 0 };
	int fd, err = 0;

	if (strlen(name) >= IFNAMSIZ)
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = -errno;
	else
		*flags = ifr.ifr_flags;
	close(fd);
	return err;
}

int bn_netdev_usable(const char *name)
{
	short flags = 0;
	int err = netdev_flags(name, &flags);

	if (err)
		return -ENODEV;
	if (!(flags & IFF_UP))
		return -ENETDOWN;
	if (flags & IFF_LOOPBACK)
		return -EINVAL;
	return 0;
}

static json_t *find_dev(json_t *arr, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")), name))
			return e;
	return NULL;
}

static void add_address(json_t *dev, struct ifaddrs *ifa)
{
	char buf[INET6_ADDRSTRLEN + 8], addr[INET6_ADDRSTRLEN];
	int plen = 0, family = ifa->ifa_addr->sa_family;
	const void *a, *m;
	json_t *list;

	if (family == AF_INET) {
		a = &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr;
		m = ifa->ifa_netmask ? &((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr : NULL;
		if (m)
			plen = __builtin_popcount(*(const uint32_t *)m);
	} else {
		a = &((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr;
		m = ifa->ifa_netmask ? &((struct sockaddr_in6 *)ifa->ifa_netmask)->sin6_addr : NULL;
		for (int i = 0; m && i < 16; i++)
			plen += __builtin_popcount(((const uint8_t *)m)[i]);
	}
	inet_ntop(family, a, addr, sizeof(addr));
	snprintf(buf, sizeof(buf), "%s/%d", addr, plen);
	list = json_object_get(dev, "addresses");
	if (!list) {
		list = json_array();
		json_object_set_new(dev, "addresses", list);
	}
	json_array_append_new(list, json_string(buf));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
		      json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

/* UP, non-loopback netdevs sorted by name, with their addresses */
json_t *bn_netdevs_json(const char *only)
{
	struct ifaddrs *ifs, *ifa;
	json_t *arr = json_array(), *sorted = json_array(), **v;
	size_t n;

	if (getifaddrs(&ifs))
		return arr;
	for (ifa = ifs; ifa; ifa = ifa->ifa_next) {
		json_t *dev;

		if (!(ifa->ifa_flags & IFF_UP) || (ifa->ifa_flags & IFF_LOOPBACK))
			continue;
		if (only && strcmp(only, ifa->ifa_name))
			continue;
		if (!strncmp(ifa->ifa_name, "bninj", 5))
			continue;	/* the framework's own injection veth */
		dev = find_dev(arr, ifa->ifa_name);
		if (!dev) {
			dev = json_pack("{s:s}", "name", ifa->ifa_name);
			json_array_append_new(arr, dev);
		}
		if (ifa->ifa_addr && (ifa->ifa_addr->sa_family == AF_INET ||
				      ifa->ifa_addr->sa_family == AF_INET6))
			add_address(dev, ifa);
	}
	freeifaddrs(ifs);
	n = json_array_size(arr);
	v = calloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; v && i < n; i++)
		v[i] = json_array_get(arr, i);
	if (v)
		qsort(v, n, sizeof(*v), cmp_name);
	for (size_t i = 0; v && i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	json_decref(arr);
	return sorted;
}
