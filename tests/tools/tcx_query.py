#!/usr/bin/env python3
# The tcx programs on a netdev, by BPF_PROG_QUERY on its ifindex (bpftool 7.1
# does not list tcx). Usage: tcx_query.py IFNAME. Prints "ingress: ID..." and
# "egress: ID...". x86_64 syscall numbers.
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
def query(ifindex, attach_type):
    ids = (ctypes.c_uint32 * 64)()
    attr = ctypes.create_string_buffer(128)
    struct.pack_into("IIIIQI", attr, 0, ifindex, attach_type, 0, 0, ctypes.addressof(ids), 64)
    if libc.syscall(321, 16, attr, 128) < 0:   # bpf(BPF_PROG_QUERY)
        e = ctypes.get_errno()
        sys.exit("BPF_PROG_QUERY: " + os.strerror(e))
    return ids[:struct.unpack_from("I", attr, 24)[0]]
ifindex = int(open("/sys/class/net/%s/ifindex" % sys.argv[1]).read())
for name, at in (("ingress", 46), ("egress", 47)):
    print(name + ":", *query(ifindex, at))
