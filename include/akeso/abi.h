/*===- akeso/abi.h - the compiler/runtime ABI --------------------*- C -*-===*
 *
 * What compiler-generated code and the runtime agree on besides the entry
 * points of abi.def: the domain descriptor the lowering pass emits for every
 * wrapper.  Layout changes here must be mirrored in passes/DomainLowering.cpp,
 * which builds the same struct as an IR constant ({ptr, ptr, i32, i32}).
 *
 *===----------------------------------------------------------------------===*/
#ifndef AKESO_ABI_H
#define AKESO_ABI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One fault-injection site: a basic block of an instrumented function. */
struct akeso_inject_site {
  const char *function; /* the function's (mangled) name */
  const char *file;     /* source file, or "" without debug info */
  unsigned line;        /* first line of the block, or 0 */
  unsigned block;       /* the block's index in its function */
};

struct akeso_domain_desc {
  const char *name; /* the annotated function, as written in the source */
  const char *file; /* source file, or "" without debug info */
  unsigned line;    /* line of the function, or 0 */
  unsigned kind;    /* akeso_domain_kind, repeated for reports */
};

/* The injection site constant emitted by the fault-injection pass is
 * { ptr, ptr, i32, i32 } (struct akeso_inject_site above). */

/* What the inline fast paths of compiled code read and write.  A thread's
 * state starts with the id of its innermost logged domain (0: none) and its
 * counters of instrumented loads and stores, which compiled code advances
 * once per basic block.  The version table maps the
 * 8-byte word at address A to the 64-bit record
 *   ((uint64_t **)dir)[(A >> 23) & (2^24 - 1)][(A >> 3) & (2^20 - 1)]
 * holding the id of its last speculative writer, or 0 (committed); a null
 * chunk means no word of it was ever written inside a domain. */
/* Reads: inside a logged domain (current id != 0), a read of a word whose
 * record is neither 0 nor the current id may form a dependence edge, so
 * compiled code calls __akeso_read_N for it; every other read needs no
 * runtime work. */
#define AKESO_THREAD_CURRENT_ID_OFFSET 0
/* Fault injection (compiled in with -akeso-inject): blocks executed until
 * the next injected fault, 0 when nothing is scheduled.  Compiled code, at
 * the start of every block of an instrumented function:
 *   c = state->inject_countdown; if (c) { state->inject_countdown = --c;
 *   if (!c) __akeso_inject(&site); }
 * The runtime keeps it 0 outside the code the schedule covers (by default
 * logged domains only). */
#define AKESO_THREAD_INJECT_COUNTDOWN_OFFSET 8
#define AKESO_THREAD_LOADS_OFFSET 16
#define AKESO_THREAD_STORES_OFFSET 24
#define AKESO_VERSION_WORD_SHIFT 3
#define AKESO_VERSION_CHUNK_SHIFT 20
#define AKESO_VERSION_ADDRESS_BITS 47

/* Arguments an inverse or a deferred call may take
 * (__akeso_domain_end_inverse, __akeso_defer_call). */
#define AKESO_MAX_INVERSE_ARGS 8

#define AKESO_C_TYPE_void void
#define AKESO_C_TYPE_ptr void *
#define AKESO_C_TYPE_size size_t
#define AKESO_C_TYPE_i32 int
#define AKESO_C_TYPE_varargs ...
#define AKESO_C_PARAMS_0() void
#define AKESO_C_PARAMS_1(a) AKESO_C_TYPE_##a
#define AKESO_C_PARAMS_2(a, b) AKESO_C_TYPE_##a, AKESO_C_TYPE_##b
#define AKESO_C_PARAMS_3(a, b, c) AKESO_C_PARAMS_2(a, b), AKESO_C_TYPE_##c
#define AKESO_C_PARAMS_4(a, b, c, d) AKESO_C_PARAMS_3(a, b, c), AKESO_C_TYPE_##d
#define AKESO_C_PARAMS_5(a, b, c, d, e)                                        \
  AKESO_C_PARAMS_4(a, b, c, d), AKESO_C_TYPE_##e
#define AKESO_C_PARAMS_6(a, b, c, d, e, f)                                     \
  AKESO_C_PARAMS_5(a, b, c, d, e), AKESO_C_TYPE_##f
#define AKESO_C_SELECT(_0, _1, _2, _3, _4, _5, _6, N, ...) N
#define AKESO_C_PARAMS(...)                                                    \
  AKESO_C_SELECT(_0 __VA_OPT__(, ) __VA_ARGS__, AKESO_C_PARAMS_6,             \
                 AKESO_C_PARAMS_5, AKESO_C_PARAMS_4, AKESO_C_PARAMS_3,         \
                 AKESO_C_PARAMS_2, AKESO_C_PARAMS_1,                           \
                 AKESO_C_PARAMS_0)(__VA_ARGS__)
/* The runtime is built with hidden visibility; only the ABI and the API
 * of akeso.h are seen by the program (and by its shared libraries). */
#define AKESO_VISIBLE __attribute__((visibility("default")))
#define AKESO_ABI(name, ret, ...)                                              \
  AKESO_VISIBLE AKESO_C_TYPE_##ret name(AKESO_C_PARAMS(__VA_ARGS__));
#define AKESO_ABI_TLS(name)                                                    \
  AKESO_VISIBLE extern __thread void *name                                    \
      __attribute__((tls_model("initial-exec")));
#define AKESO_ABI_GLOBAL(name) AKESO_VISIBLE extern void *name;
#define AKESO_ABI_MARKER(name)                                                 \
  AKESO_VISIBLE extern const char name __attribute__((weak));
#include "akeso/abi.def"
#undef AKESO_ABI

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* AKESO_ABI_H */
