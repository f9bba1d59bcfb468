; Every kind is lowered to a wrapper that passes its kind to
; __akeso_domain_begin.  Reversible and transparent domains get the landing
; pad of a basic one; an unlogged domain is never rolled back, so its
; wrapper has neither setjmp nor landing pad.  A domain with an inverse ends
; with __akeso_domain_end_inverse(thunk, n, i64 args...) on its success path
; (not when an exception leaves it), and the thunk calls the inverse with
; the arguments narrowed back.
; RUN: %opt -passes=akeso-lower -S %s | FileCheck %s
; RUN: %opt -passes=akeso-lower,verify -disable-output %s
; From the annotation file on (annotate-kinds.ll's input):
; RUN: %opt -passes=akeso-annotate,akeso-lower -akeso-annotations=%S/Inputs/kinds.yaml -S %S/annotate-kinds.ll | FileCheck %s --check-prefix=PIPE

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@n = private constant [2 x i8] c"f\00"

declare void @akeso.domain.begin(i32, ptr, ...)
declare void @akeso.domain.inverse(ptr, ...)
declare void @akeso.domain.end()
declare ptr @malloc(i64)
declare void @kv_free(ptr) nounwind
declare void @may_throw()
declare void @undo_all(i32 signext, i32 zeroext, i64, float, double, ptr, i16 signext)

; CHECK: @akeso.domain.kv_alloc = private constant { ptr, ptr, i32, i32 } { ptr @n, ptr @akeso.file, i32 0, i32 1 }
; CHECK: @akeso.domain.evict = private constant { ptr, ptr, i32, i32 } { ptr @n, ptr @akeso.file.1, i32 0, i32 2 }
; CHECK: @akeso.domain.poke = private constant { ptr, ptr, i32, i32 } { ptr @n, ptr @akeso.file.2, i32 0, i32 3 }

define ptr @kv_alloc(i64 %size) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 1, ptr @n, ptr null)
  call void (ptr, ...) @akeso.domain.inverse(ptr @kv_free, i32 -1)
  %p = call ptr @malloc(i64 %size)
  call void @akeso.domain.end()
  ret ptr %p
}

define i32 @evict(i32 %k) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 2, ptr @n, i32 -1)
  call void @akeso.domain.end()
  ret i32 %k
}

; Unlogged and returning a value: no error value anywhere.
define i32 @poke(ptr %dev) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  store volatile i32 1, ptr %dev
  call void @akeso.domain.end()
  ret i32 0
}

; Unlogged, with an inverse, and a body that may throw.
define ptr @grab(ptr %o) {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @kv_free, i32 0)
  call void @may_throw()
  call void @akeso.domain.end()
  ret ptr %o
}

; Widening: the inverse's parameter decides (signext: sext, otherwise zext);
; pointers as integers; floating values by their bits.
define i16 @widen(i8 %a, i8 %b, i32 %c, float %d, double %e, ptr %f) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 1, ptr @n, i16 0)
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo_all, i32 0, i32 1, i32 2, i32 3, i32 4, i32 5, i32 -1)
  call void @akeso.domain.end()
  ret i16 -2
}

; An inverse that is itself a domain: the thunk calls its wrapper, whether
; it is lowered before (put_early) or after (put_late) the domain whose
; inverse it is.
define void @put_early(ptr %o) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  store i32 0, ptr %o
  call void @akeso.domain.end()
  ret void
}
define ptr @get_one(ptr %o) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @put_early, i32 -1)
  call void @akeso.domain.end()
  ret ptr %o
}
define ptr @get_two(ptr %o) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @put_late, i32 -1)
  call void @akeso.domain.end()
  ret ptr %o
}
define void @put_late(ptr %o) nounwind {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  store i32 0, ptr %o
  call void @akeso.domain.end()
  ret void
}

; CHECK-LABEL: define ptr @kv_alloc(i64 %size)
; CHECK-NEXT: entry:
; CHECK-NEXT: %pad = call ptr @__akeso_domain_begin(i32 1, ptr @akeso.domain.kv_alloc)
; CHECK-NEXT: %landed = call i32 @_setjmp(ptr %pad)
; CHECK-NEXT: [[C:%.*]] = icmp ne i32 %landed, 0
; CHECK-NEXT: br i1 [[C]], label %landing.pad, label %run
; CHECK: run:
; CHECK-NEXT: [[P:%.*]] = call ptr @kv_alloc.akeso.body(i64 %size)
; CHECK-NEXT: [[PI:%.*]] = ptrtoint ptr [[P]] to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_domain_end_inverse(ptr @akeso.inverse.kv_alloc, i32 1, i64 [[PI]])
; CHECK-NEXT: ret ptr [[P]]
; CHECK: landing.pad:
; CHECK-NEXT: ret ptr null

; The thunk: internal, never instrumented, calling the callee's own body.
; CHECK-LABEL: define internal void @akeso.inverse.kv_alloc(ptr %args)
; CHECK-SAME: [[THUNK:#[0-9]+]]
; CHECK-NEXT: entry:
; CHECK-NEXT: %arg0 = load i64, ptr %args, align 8
; CHECK-NEXT: [[A0:%.*]] = inttoptr i64 %arg0 to ptr
; CHECK-NEXT: call void @kv_free(ptr [[A0]]) [[NOINLINE:#[0-9]+]]
; CHECK-NEXT: ret void

; CHECK-LABEL: define i32 @evict(i32 %k)
; CHECK: %pad = call ptr @__akeso_domain_begin(i32 2, ptr @akeso.domain.evict)
; CHECK: call void @__akeso_domain_end()
; CHECK: landing.pad:
; CHECK-NEXT: ret i32 -1

; CHECK-LABEL: define i32 @poke(ptr %dev)
; CHECK-NEXT: entry:
; CHECK-NEXT: {{%.*}} = call ptr @__akeso_domain_begin(i32 3, ptr @akeso.domain.poke)
; CHECK-NEXT: [[R:%.*]] = call i32 @poke.akeso.body(ptr %dev)
; CHECK-NEXT: call void @__akeso_domain_end()
; CHECK-NEXT: ret i32 [[R]]
; CHECK-NEXT: }

; CHECK-LABEL: define ptr @grab(ptr %o)
; CHECK-NOT: _setjmp
; CHECK: call ptr @__akeso_domain_begin(i32 3, ptr @akeso.domain.grab)
; CHECK-NEXT: [[G:%.*]] = invoke ptr @grab.akeso.body(ptr %o)
; CHECK-NEXT: to label %done unwind label %unwind
; CHECK: done:
; CHECK-NEXT: [[OI:%.*]] = ptrtoint ptr %o to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_domain_end_inverse(ptr @akeso.inverse.grab, i32 1, i64 [[OI]])
; CHECK-NEXT: ret ptr [[G]]
; CHECK: unwind:
; CHECK-NEXT: landingpad
; CHECK-NEXT: cleanup
; CHECK-NEXT: call void @__akeso_domain_end()
; CHECK-NEXT: resume

; CHECK-LABEL: define i16 @widen(i8 %a, i8 %b, i32 %c, float %d, double %e, ptr %f)
; CHECK: run:
; CHECK-NEXT: [[V:%.*]] = call i16 @widen.akeso.body(
; CHECK-NEXT: [[WA:%.*]] = sext i8 %a to i64
; CHECK-NEXT: [[WB:%.*]] = zext i8 %b to i64
; CHECK-NEXT: [[WC:%.*]] = zext i32 %c to i64
; CHECK-NEXT: [[DB:%.*]] = bitcast float %d to i32
; CHECK-NEXT: [[WD:%.*]] = zext i32 [[DB]] to i64
; CHECK-NEXT: [[WE:%.*]] = bitcast double %e to i64
; CHECK-NEXT: [[WF:%.*]] = ptrtoint ptr %f to i64
; CHECK-NEXT: [[WR:%.*]] = sext i16 [[V]] to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_domain_end_inverse(ptr @akeso.inverse.widen, i32 7, i64 [[WA]], i64 [[WB]], i64 [[WC]], i64 [[WD]], i64 [[WE]], i64 [[WF]], i64 [[WR]])
; CHECK-NEXT: ret i16 [[V]]

; CHECK-LABEL: define internal void @akeso.inverse.widen(ptr %args)
; CHECK-NEXT: entry:
; CHECK-NEXT: %arg0 = load i64, ptr %args, align 8
; CHECK-NEXT: [[N0:%.*]] = trunc i64 %arg0 to i32
; CHECK-NEXT: [[S1:%.*]] = getelementptr inbounds i64, ptr %args, i64 1
; CHECK-NEXT: %arg1 = load i64, ptr [[S1]], align 8
; CHECK-NEXT: [[N1:%.*]] = trunc i64 %arg1 to i32
; CHECK: %arg2 = load i64
; CHECK-NOT: trunc i64 %arg2
; CHECK: %arg3 = load i64
; CHECK-NEXT: [[T3:%.*]] = trunc i64 %arg3 to i32
; CHECK-NEXT: [[N3:%.*]] = bitcast i32 [[T3]] to float
; CHECK: %arg4 = load i64
; CHECK-NEXT: [[N4:%.*]] = bitcast i64 %arg4 to double
; CHECK: %arg5 = load i64
; CHECK-NEXT: [[N5:%.*]] = inttoptr i64 %arg5 to ptr
; CHECK: %arg6 = load i64
; CHECK-NEXT: [[N6:%.*]] = trunc i64 %arg6 to i16
; CHECK-NEXT: call void @undo_all(i32 signext [[N0]], i32 zeroext [[N1]], i64 %arg2, float [[N3]], double [[N4]], ptr [[N5]], i16 signext [[N6]]) [[NOINLINE]]

; CHECK-LABEL: define internal void @akeso.inverse.get_one(
; CHECK: call void @put_early(ptr
; CHECK-LABEL: define internal void @akeso.inverse.get_two(
; CHECK: call void @put_late(ptr

; CHECK-DAG: attributes [[THUNK]] = { nounwind "akeso-generated" }
; CHECK-DAG: attributes [[NOINLINE]] = { noinline }

; PIPE-LABEL: define i64 @counter_add(ptr %c, i64 %d)
; PIPE-NEXT: entry:
; PIPE-NEXT: call ptr @__akeso_domain_begin(i32 3, ptr @akeso.domain.counter_add)
; PIPE-NEXT: [[V:%.*]] = call i64 @counter_add.akeso.body(ptr %c, i64 %d)
; PIPE-NEXT: [[C:%.*]] = ptrtoint ptr %c to i64
; PIPE-NEXT: call void (ptr, i32, ...) @__akeso_domain_end_inverse(ptr @akeso.inverse.counter_add, i32 2, i64 [[C]], i64 %d)
; PIPE-NEXT: ret i64 [[V]]
; PIPE-LABEL: define internal void @akeso.inverse.counter_add(ptr %args)
; PIPE: call void @counter_sub(ptr {{%.*}}, i64 %arg1)
