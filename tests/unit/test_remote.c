// SPDX-License-Identifier: GPL-2.0
/*
 * test_remote.c - a remote libvirt host's pieces that need no host: the
 * stream cable's framing and its push-back, which URIs are remote and
 * where their daemon listens, the SHA-256 that names staged files, and
 * the remote domain XML (channels back over TCP, nothing of this machine's
 * paths but the emulator's).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "engine.h"
#include "harness.h"
#include "run.h"
#include "sha256.h"
#include "util.h"
#include "wire.h"

static void hex_of(const char *s, size_t split, char hex[65])
{
	struct sha256 c;
	uint8_t d[32];

	sha256_init(&c);
	sha256_update(&c, s, split);
	sha256_update(&c, s + split, strlen(s) - split);
	sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* FIPS 180-4's examples, fed in two pieces at every split, and a file of a million 'a'. */
TEST(sha256_known_answers)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65], *big = malloc(1000001);
	FILE *f;

	hex_of("", 0, hex);
	EXPECT_STR_EQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex);
	hex_of("abc", 1, hex);
	EXPECT_STR_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex);
	for (size_t split = 0; split <= sizeof(two_blocks) - 1; split++) {
		hex_of(two_blocks, split, hex);
		EXPECT_STR_EQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", hex);
	}
	ASSERT_TRUE(big != NULL);
	memset(big, 'a', 1000000);
	big[1000000] = '\0';
	f = fopen(unit_write("remote/million-a", ""), "w");
	ASSERT_TRUE(f != NULL);
	fputs(big, f);
	fclose(f);
	free(big);
	EXPECT_EQ(0, sha256_file(unit_write("remote/empty", ""), hex));
	EXPECT_STR_EQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex);
	{
		char path[600];

		snprintf(path, sizeof(path), "%s/remote/million-a", unit_tmpdir());
		EXPECT_EQ(0, sha256_file(path, hex));
		EXPECT_STR_EQ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hex);
	}
	EXPECT_EQ(-ENOENT, sha256_file("/nonexistent/kernel", hex));
}

TEST(libvirt_uri_remote_and_its_port)
{
	char host[256];
	unsigned short port;

	EXPECT_TRUE(!libvirt_uri_remote(NULL));
	EXPECT_TRUE(!libvirt_uri_remote("qemu:///system"));
	EXPECT_TRUE(!libvirt_uri_remote("qemu+unix:///system?socket=/tmp/x/libvirt-sock"));
	EXPECT_TRUE(!libvirt_uri_remote("qemu+tcp://127.0.0.1:16510/system"));
	EXPECT_TRUE(!libvirt_uri_remote("qemu+ssh://root@localhost/system"));
	EXPECT_TRUE(!libvirt_uri_remote("qemu+tcp://[::1]:16510/system"));
	EXPECT_TRUE(libvirt_uri_remote("qemu+tcp://10.77.0.2/system"));
	EXPECT_TRUE(libvirt_uri_remote("qemu+ssh://me@build-3.example/system?keyfile=/k"));
	libvirt_uri_endpoint("qemu+tcp://10.77.0.2/system", host, sizeof(host), &port);
	EXPECT_STR_EQ("10.77.0.2", host);
	EXPECT_EQ(16509, port);
	libvirt_uri_endpoint("qemu+ssh://me@build-3.example/system", host, sizeof(host), &port);
	EXPECT_STR_EQ("build-3.example", host);
	EXPECT_EQ(22, port);
	libvirt_uri_endpoint("qemu+libssh2://[fd00::5]:2222/system", host, sizeof(host), &port);
	EXPECT_STR_EQ("fd00::5", host);
	EXPECT_EQ(2222, port);
	libvirt_uri_endpoint("qemu://h1/system", host, sizeof(host), &port);
	EXPECT_EQ(16514, port);	/* TLS, libvirt's default transport */
}

/* Nothing listens on port 1: a refused connection is one line naming host and port, at once. */
TEST(remote_unreachable_host_is_one_line)
{
	char err[512];
	double t0 = now();

	EXPECT_EQ(-1, remote_reachable("qemu+tcp://127.0.0.1:1/system", 5, err, sizeof(err)));
	EXPECT_CONTAINS(err, "cannot reach libvirt host 127.0.0.1 on port 1: Connection refused");
	EXPECT_TRUE(!strchr(err, '\n'));
	EXPECT_TRUE(now() - t0 < 2);
	EXPECT_EQ(-1, wire_listen_tcp("192.0.2.254", &(unsigned short){ 0 }, err, sizeof(err)));
	EXPECT_CONTAINS(err, "not an address of this machine");
}

/* QEMU's end of a stream cable: a TCP client to the wire's port. */
static int qemu_end(unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Frames go both ways behind their 4-byte length, whole and in order
 * however TCP cuts them; a full socket pushes back (-EAGAIN) and never
 * tears a frame it took; QEMU's close is -EPIPE, not a socket to poll for ever.
 */
#define ACC	(64 << 20)

TEST(wire_stream_frames_push_back_and_end)
{
	static uint8_t big[60000], got[65536];
	uint8_t in[13] = { 0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 2, 'd', 'e' };
	char err[512];
	unsigned short port;
	struct wire w = { .fd = -1 };
	int lfd = wire_listen_tcp("127.0.0.1", &port, err, sizeof(err)), q, sent = 0, rc;
	size_t total, off = 0;
	uint8_t *acc = malloc(ACC);

	ASSERT_TRUE(lfd >= 0 && acc);
	EXPECT_EQ(-1, wire_accept_stream(&w, lfd, 0.2, err, sizeof(err)));
	EXPECT_CONTAINS(err, "did not connect within");
	q = qemu_end(port);
	ASSERT_TRUE(q >= 0);
	setsockopt(q, SOL_SOCKET, SO_RCVBUF, &(int){ 65536 }, sizeof(int));
	ASSERT_TRUE(wire_accept_stream(&w, lfd, 2, err, sizeof(err)) == 0);
	close(lfd);

	/* in: one and a half frames, then the rest */
	EXPECT_EQ(11, write(q, in, 11));
	usleep(50000);
	EXPECT_EQ(3, wire_recv_frame(&w, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, "abc", 3));
	EXPECT_EQ(0, wire_recv_frame(&w, got, sizeof(got)));
	EXPECT_EQ(2, write(q, in + 11, 2));
	usleep(50000);
	EXPECT_EQ(2, wire_recv_frame(&w, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, "de", 2));

	/* out: until the socket is full, each frame numbered */
	while (sent < 2000) {
		memset(big, sent & 0xff, sizeof(big));
		rc = wire_send(&w, big, 1000 + sent % 7 * 8000);
		if (rc == -EAGAIN)
			break;
		ASSERT_TRUE(rc == 0);
		sent++;
	}
	EXPECT_TRUE(sent < 2000);		/* pushed back, not buffered without end */
	EXPECT_EQ(sent, w.tx_frames);
	/* every frame the wire took arrives whole, once the reader reads */
	total = 0;
	for (;;) {
		struct pollfd p = { .fd = q, .events = POLLIN };
		ssize_t n;

		if (wire_pending(&w))
			(void)wire_flush(&w);
		if (poll(&p, 1, 300) <= 0)
			break;
		n = read(q, acc + total, ACC - total);
		if (n <= 0)
			break;
		total += n;
	}
	for (int i = 0; i < sent; i++) {
		size_t want = 1000 + i % 7 * 8000;

		ASSERT_TRUE(off + 4 <= total);
		EXPECT_EQ(want, get_be32(acc + off));
		ASSERT_TRUE(off + 4 + want <= total);
		EXPECT_EQ(i & 0xff, acc[off + 4]);
		EXPECT_EQ(i & 0xff, acc[off + 4 + want - 1]);
		off += 4 + want;
	}
	EXPECT_EQ(off, total);
	free(acc);
	EXPECT_TRUE(!wire_pending(&w));
	close(q);
	usleep(50000);
	EXPECT_EQ(-EPIPE, wire_recv_frame(&w, got, sizeof(got)));
	EXPECT_EQ(-1, w.fd);
	EXPECT_EQ(-EPIPE, wire_send(&w, big, 100));
	wire_close(&w);
}

/* A remote host's domain: channels back to the wire address, the trace not into this machine's files. */
TEST(libvirt_remote_domain_xml_connects_back)
{
	struct env env = { .qemu = "/opt/nicrig/qemu-system-x86_64", .accel = "tcg" };
	struct rig rig = { .name = "h1", .nic = NIC_IGB, .cpus = 2, .memory_mb = 1024 };
	struct run_opts o = { .rig = &rig, .trace = "igb_rx*" };
	struct run_result *res = calloc(1, sizeof(*res));
	struct run r = { .env = &env, .o = &o, .res = res, .variant = "baseline",
			 .remote = { .on = true, .wire = "10.77.0.1", .wire_port = 40001,
				     .ctl_port = 40002, .con_port = 40003 } };
	struct launch l = { .kernel = "/var/lib/libvirt/nicrig/nicrig-0123-vmlinux",
			    .initrd = "/var/lib/libvirt/nicrig/nicrig-4567-initramfs.cpio.gz",
			    .append = "console=ttyS0", .console = "/out/console.log" };
	char *xml;

	ASSERT_TRUE(res != NULL);
	snprintf(r.proc.tmp, sizeof(r.proc.tmp), "/tmp/nicrig.AbC123");
	snprintf(res->out_dir, sizeof(res->out_dir), "/out");
	xml = libvirt_domain_xml(&r, &l, "nicrig-h1-baseline-AbC123");
	ASSERT_TRUE(xml != NULL);
	EXPECT_CONTAINS(xml, "<kernel>/var/lib/libvirt/nicrig/nicrig-0123-vmlinux</kernel>");
	EXPECT_CONTAINS(xml, "<serial type=\"tcp\">\n      <source mode=\"connect\" host=\"10.77.0.1\" "
			"service=\"40003\"/>\n      <protocol type=\"raw\"/>\n      <target port=\"0\"/>");
	EXPECT_CONTAINS(xml, "service=\"40002\"/>\n      <protocol type=\"raw\"/>\n      <target port=\"1\"/>");
	EXPECT_CONTAINS(xml, "<qemu:arg value=\"stream,id=wire,server=off,addr.type=inet,"
			"addr.host=10.77.0.1,addr.port=40001\"/>");
	EXPECT_CONTAINS(xml, "<qemu:arg value=\"enable=igb_rx*\"/>");
	/* nothing of this machine's but the emulator */
	EXPECT_TRUE(!strstr(xml, "/out"));
	EXPECT_TRUE(!strstr(xml, "/tmp/"));
	EXPECT_TRUE(!strstr(xml, "device-trace.log"));
	free(xml);
	free(res);
}
