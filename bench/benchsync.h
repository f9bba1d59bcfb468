/*===- benchsync.h - clocks and thread hand-offs outside akeso's view -*- C -*-===*
 *
 * Implemented in benchsync.c, which is compiled with plain clang: nothing
 * these functions write is logged by akeso or undone by a rollback.
 *
 *===----------------------------------------------------------------------===*/
#ifndef AKESO_BENCH_BENCHSYNC_H
#define AKESO_BENCH_BENCHSYNC_H

#include <stdint.h>

enum { BENCH_FLAGS = 16, BENCH_STAMPS = 64 };

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* Time stamps kept in uninstrumented memory, so they survive rollbacks. */
void bench_stamp(unsigned slot);
uint64_t bench_stamp_get(unsigned slot);
void bench_stamp_clear(unsigned slot);

/* Counters threads hand work over with (release/acquire). */
void bench_set(unsigned flag, uint64_t v);
uint64_t bench_add(unsigned flag, uint64_t d); /* returns the new value */
uint64_t bench_get(unsigned flag);
void bench_wait_ge(unsigned flag, uint64_t v);
/* 1 once the flag is >= v; 0 after timeout_ns or an interrupting signal. */
int bench_wait_ge_for(unsigned flag, uint64_t v, uint64_t timeout_ns);

#endif
