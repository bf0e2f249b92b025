/* udpecho: the UDP server of podwake's test image (Debian's busybox has no UDP server applet).
 * Usage: udpecho PORT. Binds 0.0.0.0:PORT and sends every datagram back to its sender, unchanged.
 * Built `gcc -static` by the tests (TestImages.cs) and by bench/run; it runs in a FROM scratch image. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: udpecho PORT\n");
        return 2;
    }

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("udpecho: failed to create a socket");
        return 1;
    }

    /* A wake releases a burst of buffered datagrams at once: take them all (capped by rmem_max). */
    int size = 4 * 1024 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("udpecho: failed to bind");
        return 1;
    }

    static char buffer[65536];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof from;
        ssize_t n = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("udpecho: failed to receive");
            return 1;
        }
        if (sendto(fd, buffer, (size_t)n, 0, (struct sockaddr *)&from, fromlen) < 0 && errno != EINTR)
            perror("udpecho: failed to send");
    }
}
