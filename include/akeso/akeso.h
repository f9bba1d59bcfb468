/*===- akeso/akeso.h - the akeso recovery-domain API ------------*- C -*-===*
 *
 * The user-facing interface of the akeso runtime, usable from C and C++.
 *
 * Most programs never include this header: they list their recovery domains
 * in an annotation file and let the compiler passes wrap the annotated
 * functions.  This header is the low-level interface of the paper ("Recovery
 * Domains", Lenharth et al., Figure 1) for code that wants a domain around an
 * arbitrary region, raises recovery events itself, or has effects the
 * compiler cannot see (undo actions, deferred releases).
 *
 * A domain with a landing pad:
 *
 *   if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "parse") == 0) {
 *     ... work; may call akeso_fault("...") ...
 *     akeso_domain_end();
 *   } else {
 *     ... landing pad: every write of the domain has been undone ...
 *   }
 *
 *===----------------------------------------------------------------------===*/
#ifndef AKESO_AKESO_H
#define AKESO_AKESO_H

#include <setjmp.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AKESO_API __attribute__((visibility("default")))

/* The four domain kinds of the paper (004 §4.1, Table 1).  The values are
 * part of the ABI: the compiler passes emit them as integers. */
typedef enum akeso_domain_kind {
  AKESO_BASIC = 0,       /* logged; rolls back and returns its error value */
  AKESO_REVERSIBLE = 1,  /* logged; commits at once, inverse logged with parent */
  AKESO_TRANSPARENT = 2, /* logged; commits at once, skipped on fault */
  AKESO_UNLOGGED = 3     /* not logged, not recoverable */
} akeso_domain_kind;

/* Begins a domain and returns the jmp_buf storage of its landing pad.  Use
 * AKESO_DOMAIN_BEGIN, which calls setjmp in the caller's frame as setjmp
 * requires; `name` appears in reports and must outlive the domain. */
AKESO_API void *akeso_domain_begin(akeso_domain_kind kind, const char *name);

/* Ends the innermost domain begun on this thread: a root basic domain
 * commits, a nested basic domain merges into its parent (004 §4.3). */
AKESO_API void akeso_domain_end(void);

/* Evaluates to 0 when the domain starts and to non-zero at the landing pad
 * after the domain has been rolled back. */
#define AKESO_DOMAIN_BEGIN(kind, name)                                         \
  setjmp(*(jmp_buf *)akeso_domain_begin((kind), (name)))

/* Raises a recovery event (004 §3.1): the innermost recoverable domain of
 * this thread is rolled back and control resumes at its landing pad.  With no
 * recoverable domain active the program reports the fault and aborts. */
AKESO_API __attribute__((noreturn)) void akeso_raise_fault(const char *reason,
                                                 const char *file,
                                                 unsigned line,
                                                 const char *function);
#define akeso_fault(reason)                                                    \
  akeso_raise_fault((reason), __FILE__, __LINE__, __func__)

/* Logs fn(arg) with the innermost domain; it runs if that domain (or an
 * enclosing one it merged into) is rolled back, in reverse order of logging
 * interleaved with the memory restores.  Outside any logged domain it is
 * dropped: there is nothing to roll back. */
AKESO_API void akeso_log_undo(void (*fn)(void *), void *arg);

/* Delays fn(arg) until the innermost domain commits; discarded if it rolls
 * back (004 §4.1.2: releases run at commit).  Outside any logged domain it
 * runs at once. */
AKESO_API void akeso_defer(void (*fn)(void *), void *arg);

/* Tells the runtime that [addr, addr+size) is about to be written by code
 * the compiler did not instrument (a read(2) into a buffer, assembly, an
 * uninstrumented library), so its old contents are logged. */
AKESO_API void akeso_will_write(const void *addr, size_t size);

/* The number of domains active on this thread (0: the default unlogged one). */
AKESO_API unsigned akeso_domain_depth(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* AKESO_AKESO_H */
