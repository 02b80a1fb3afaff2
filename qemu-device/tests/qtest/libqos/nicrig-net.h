/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What nicrig's NIC model qtests share: the test's end of the device's
 * "-netdev socket" cable, frames to send through it, and link control.
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef NICRIG_NET_H
#define NICRIG_NET_H

#include "qemu/sockets.h"
#include "qemu/iov.h"
#include "qobject/qdict.h"
#include "net/eth.h"
#include "../libqtest.h"
#include "qgraph.h"

/* The socket cable speaks QEMU's stream format: a 32-bit length, a frame */
static inline void wire_send(int *sockets, const void *frame, size_t len)
{
    uint32_t be_len = htonl(len);
    struct iovec iov[] = {
        { .iov_base = &be_len, .iov_len = sizeof(be_len) },
        { .iov_base = (void *)frame, .iov_len = len },
    };
    ssize_t ret = iov_send(sockets[0], iov, 2, 0, sizeof(be_len) + len);

    g_assert_cmpint(ret, ==, sizeof(be_len) + len);
}

static inline size_t wire_recv(int *sockets, void *buf, size_t size)
{
    uint32_t be_len;
    size_t len;
    ssize_t ret;

    ret = recv(sockets[0], &be_len, sizeof(be_len), 0);
    g_assert_cmpint(ret, ==, sizeof(be_len));
    len = ntohl(be_len);
    g_assert_cmpuint(len, <=, size);
    ret = recv(sockets[0], buf, len, MSG_WAITALL);
    g_assert_cmpint(ret, ==, len);
    return len;
}

static inline bool wire_idle(int *sockets)
{
    char c;

    return recv(sockets[0], &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0;
}

/* Internet checksum over @len bytes, plus a partial sum @add */
static inline uint16_t inet_csum(const uint8_t *p, size_t len, uint32_t add)
{
    uint32_t sum = add;
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += lduw_be_p(p + i);
    }
    if (len & 1) {
        sum += p[len - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return ~sum & 0xFFFF;
}

/* Ethernet's FCS: CRC-32 (reflected), appended least significant byte first */
static inline uint32_t eth_fcs(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xFFFFFFFF;
    size_t i;
    int b;

    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1));
        }
    }
    return ~crc;
}

/* Append the frame's FCS, or a corrupt one, for a device with fcs-on-wire */
static inline size_t add_fcs(uint8_t *frame, size_t len, bool good)
{
    stl_le_p(frame + len, eth_fcs(frame, len) ^ (good ? 0 : 0x10));
    return len + 4;
}

/* A frame to @mac from its neighbour, local experimental ethertype */
static inline size_t make_frame_to(uint8_t *buf, size_t len, uint8_t seed,
                                   const uint8_t *mac)
{
    struct eth_header *eh = (struct eth_header *)buf;
    size_t i;

    memcpy(eh->h_dest, mac, ETH_ALEN);
    memcpy(eh->h_source, mac, ETH_ALEN);
    eh->h_source[5] ^= 0xFF;
    eh->h_proto = cpu_to_be16(0x88B5);
    for (i = sizeof(*eh); i < len; i++) {
        buf[i] = seed + i;
    }
    return len;
}

/* An IPv4/TCP SYN to @mac (the Microsoft RSS verification suite's shape) */
static inline size_t make_tcp4_frame_to(uint8_t *buf, const uint8_t *mac,
                                        const uint8_t src_ip[4],
                                        const uint8_t dst_ip[4],
                                        uint16_t sport, uint16_t dport)
{
    struct eth_header *eh = (struct eth_header *)buf;
    uint8_t *ip = buf + sizeof(*eh);
    uint8_t *tcp = ip + 20;
    size_t len = sizeof(*eh) + 20 + 20;

    memset(buf, 0, len);
    memcpy(eh->h_dest, mac, ETH_ALEN);
    memcpy(eh->h_source, mac, ETH_ALEN);
    eh->h_source[5] ^= 0xFF;
    eh->h_proto = cpu_to_be16(ETH_P_IP);
    ip[0] = 0x45;
    stw_be_p(ip + 2, 40);
    ip[8] = 64;
    ip[9] = IP_PROTO_TCP;
    memcpy(ip + 12, src_ip, 4);
    memcpy(ip + 16, dst_ip, 4);
    stw_be_p(ip + 10, inet_csum(ip, 20, 0));
    stw_be_p(tcp + 0, sport);
    stw_be_p(tcp + 2, dport);
    tcp[12] = 5 << 4;
    tcp[13] = 0x02;     /* SYN */
    return len;
}

/* Microsoft's RSS verification key and its first IPv4/TCP vector */
static const uint8_t rss_ms_key[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
    0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
    0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
    0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
    0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};
static const uint8_t rss_ms_sip[4] = { 66, 9, 149, 187 };
static const uint8_t rss_ms_dip[4] = { 161, 142, 100, 80 };
#define RSS_MS_SPORT    2794
#define RSS_MS_DPORT    1766
#define RSS_MS_HASH     0x51ccc178

/* The cable's link, through QMP (the netdev is always hs0) */
static inline void wire_set_link(QTestState *qts, bool up)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'set_link', 'arguments': "
                           "{'name': 'hs0', 'up': %i}}", up);

    g_assert(qdict_haskey(rsp, "return"));
    qobject_unref(rsp);
}

static inline void wire_test_clear(void *sockets)
{
    int *test_sockets = sockets;

    close(test_sockets[0]);
    qos_invalidate_command_line();
    close(test_sockets[1]);
    g_free(test_sockets);
}

/* QOSGraphTestOptions.before: a socketpair as -netdev socket,id=hs0 */
static inline void *wire_test_init(GString *cmd_line, void *arg)
{
    struct timeval timeout = { .tv_sec = 10 };
    int *test_sockets = g_new(int, 2);
    int ret = socketpair(PF_UNIX, SOCK_STREAM, 0, test_sockets);

    g_assert_cmpint(ret, !=, -1);
    /* A frame that never comes must fail the test, not hang it */
    ret = setsockopt(test_sockets[0], SOL_SOCKET, SO_RCVTIMEO, &timeout,
                     sizeof(timeout));
    g_assert_cmpint(ret, ==, 0);
    g_string_append_printf(cmd_line, " -netdev socket,fd=%d,id=hs0 ",
                           test_sockets[1]);
    g_test_queue_destroy(wire_test_clear, test_sockets);
    return test_sockets;
}

#endif
