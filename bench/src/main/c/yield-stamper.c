/*
 * yield-stamper FILE: the job that `bench/run owner` case (e) runs under the agent.
 *
 * Every millisecond it writes CLOCK_MONOTONIC (nanoseconds) into the next slot of a ring held in
 * FILE, mapped shared, so the benchmark can see from outside the agent exactly when the job's
 * progress stopped: a frozen process writes nothing, and the last stamp before the gap is the
 * moment it was stopped (to within one period). The benchmark maps the same file and compares the
 * stamps with its own CLOCK_MONOTONIC readings (Java's System.nanoTime on Linux).
 *
 * FILE layout, little-endian 64-bit words: word 0 = stamps written so far (k), words 1..SLOTS = the
 * ring, stamp number n in word 1 + n % SLOTS. The count is stored after the stamp, with release
 * order, so a reader that sees count k can read stamps up to k - 1.
 *
 * It never writes anything else and never exits: the benchmark cancels the job.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 65536                 /* 65 s of history at 1 kHz: a trial's window fits easily */
#define PERIOD_NS 1000000LL

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: yield-stamper FILE\n");
        return 2;
    }
    size_t size = sizeof(uint64_t) * (1 + SLOTS);
    int fd = open(argv[1], O_RDWR);
    if (fd < 0 || ftruncate(fd, (off_t) size) != 0) {
        perror(argv[1]);
        return 1;
    }
    uint64_t *words = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (words == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    int64_t next = now_ns();
    for (uint64_t n = 0;; n++) {
        int64_t t = now_ns();
        words[1 + n % SLOTS] = (uint64_t) t;
        __atomic_store_n(&words[0], n + 1, __ATOMIC_RELEASE);
        /* After a stall (frozen, or no idle CPU for this SCHED_IDLE job) carry on from now rather
           than catching up with a burst of stamps: the gap must show as one gap. */
        next = next + PERIOD_NS > t ? next + PERIOD_NS : t + PERIOD_NS;
        struct timespec at = {.tv_sec = next / 1000000000LL, .tv_nsec = next % 1000000000LL};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0) {
        }
    }
}
