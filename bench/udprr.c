/* udprr: UDP request/response load for bench/run. Loopback only.
 *   udprr HOST PORT CLIENTS SECONDS MAX
 * CLIENTS connected UDP sockets, each with one request outstanding (a 32-byte datagram carrying a
 * sequence number); a reply with the expected number completes a round trip and the next request
 * goes out at once. A request unanswered for 200 ms counts as lost and is replaced. Stops after
 * SECONDS or MAX round trips, whichever comes first. Prints: "ROUND_TRIPS_PER_S P50_MS P99_MS LOST". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define LOST_NS 200000000LL

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: udprr HOST PORT CLIENTS SECONDS MAX\n");
        return 2;
    }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 || (ntohl(to.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "udprr: %s is not a loopback IPv4 address\n", argv[1]);
        return 2;
    }
    int clients = atoi(argv[3]);
    double seconds = atof(argv[4]);
    long max = atol(argv[5]);
    if (clients < 1 || clients > MAX_CLIENTS || seconds <= 0 || max < 1) {
        fprintf(stderr, "udprr: CLIENTS must be 1..%d, SECONDS and MAX positive\n", MAX_CLIENTS);
        return 2;
    }

    struct pollfd fds[MAX_CLIENTS];
    uint64_t seq[MAX_CLIENTS];
    int64_t sent_at[MAX_CLIENTS];
    int64_t *rtt = malloc(sizeof(int64_t) * (size_t)max);
    if (!rtt) {
        perror("udprr: failed to allocate");
        return 1;
    }
    char out[32] = { 0 }, in[2048];
    for (int i = 0; i < clients; i++) {
        fds[i].fd = socket(AF_INET, SOCK_DGRAM, 0);
        fds[i].events = POLLIN;
        if (fds[i].fd < 0 || connect(fds[i].fd, (struct sockaddr *)&to, sizeof to) < 0) {
            perror("udprr: failed to connect a socket");
            return 1;
        }
        seq[i] = (uint64_t)i << 48;
    }

    long done = 0, lost = 0;
    int64_t start = now_ns(), end = start + (int64_t)(seconds * 1e9);
    for (int i = 0; i < clients; i++) {
        memcpy(out, &seq[i], sizeof seq[i]);
        sent_at[i] = now_ns();
        if (send(fds[i].fd, out, sizeof out, 0) < 0)
            perror("udprr: failed to send");
    }
    int64_t t = start;
    while (done < max && t < end) {
        int n = poll(fds, (nfds_t)clients, 50);
        t = now_ns();
        for (int i = 0; i < clients && n >= 0; i++) {
            int resend = 0;
            if (fds[i].revents & POLLIN) {
                ssize_t r = recv(fds[i].fd, in, sizeof in, MSG_DONTWAIT);
                uint64_t got;
                if (r == (ssize_t)sizeof out && (memcpy(&got, in, sizeof got), got == seq[i])) {
                    if (done < max)
                        rtt[done++] = t - sent_at[i];
                    resend = 1;
                }
            } else if (t - sent_at[i] > LOST_NS) {
                lost++;
                resend = 1;
            }
            if (resend) {
                seq[i]++;
                memcpy(out, &seq[i], sizeof seq[i]);
                sent_at[i] = now_ns();
                if (send(fds[i].fd, out, sizeof out, 0) < 0 && errno != ECONNREFUSED)
                    perror("udprr: failed to send");
            }
        }
    }
    double elapsed = (double)(now_ns() - start) / 1e9;
    if (done == 0) {
        printf("0 n/a n/a %ld\n", lost);
        return 1;
    }
    qsort(rtt, (size_t)done, sizeof rtt[0], cmp);
    printf("%.0f %.3f %.3f %ld\n", (double)done / elapsed, (double)rtt[done / 2] / 1e6,
           (double)rtt[(size_t)((double)done * 0.99)] / 1e6, lost);
    return 0;
}
