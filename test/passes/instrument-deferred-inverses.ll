; A call of a function the annotation file names as an inverse (a release:
; kv_free) is deferred until the innermost logged domain commits
; (004 §4.1.2: "inverse operations when they appear in code are delayed"),
; when its result is unused: it becomes __akeso_defer_call(thunk, n, i64
; args...), one thunk per callee.  Not deferred: calls whose result is used,
; invokes, indirect calls, calls passing a pointer into the caller's frame
; (gone when the call runs), and calls made by an inverse itself or by the
; thunks.  Thunks are never instrumented.
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -akeso-annotations=%S/Inputs/inverses.yaml -S %s | FileCheck %s
; RUN: env AKESO_ANNOTATIONS=%S/Inputs/inverses.yaml %opt -passes=akeso-instrument -akeso-inline-fast-path=false -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument,verify -akeso-annotations=%S/Inputs/inverses.yaml -disable-output %s
; Without an annotation file, or with -akeso-defer-inverses=false, nothing is deferred.
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -S %s | FileCheck %s --check-prefix=NODEFER
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -akeso-annotations=%S/Inputs/inverses.yaml -akeso-defer-inverses=false -S %s | FileCheck %s --check-prefix=NODEFER

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @kv_free(ptr)
declare i32 @ref_put(ptr, i16 signext)
declare void @escape(ptr)
declare i32 @__gxx_personality_v0(...)

; CHECK-LABEL: define i32 @user(
; NODEFER-LABEL: define i32 @user(
; NODEFER-NOT: __akeso_defer_call
; NODEFER: call void @kv_free(ptr %p)
define i32 @user(ptr %p, ptr %fp, ptr %o) {
; CHECK: [[P:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_defer_call(ptr @akeso.deferred.kv_free, i32 1, i64 [[P]])
; CHECK-NOT: call void @kv_free(ptr %p)
  call void @kv_free(ptr %p)
; The result is used: the call runs now.
; CHECK: %r = call i32 @ref_put(ptr %p, i16 signext 3)
  %r = call i32 @ref_put(ptr %p, i16 signext 3)
; Unused: deferred, widened as the parameter says (signext).
; CHECK: [[P2:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_defer_call(ptr @akeso.deferred.ref_put, i32 2, i64 [[P2]], i64 -2)
  %unused = call i32 @ref_put(ptr %p, i16 signext -2)
; A C++ inverse named by its name.
; CHECK: [[O:%.*]] = ptrtoint ptr %o to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_defer_call(ptr @akeso.deferred._Z8obj_dropPv, i32 1, i64 [[O]])
  call void @_Z8obj_dropPv(ptr %o)
; Indirect: left alone.
; CHECK: call void %fp(ptr %p)
  call void %fp(ptr %p)
; A pointer into this frame would dangle by the time a deferred call ran.
; CHECK: call void @kv_free(ptr %local)
  %local = alloca i64
  call void @escape(ptr %local)
  call void @kv_free(ptr %local)
; CHECK: ret i32 %r
  ret i32 %r
}

; An invoke is left alone.
; CHECK-LABEL: define void @invoker(
; CHECK: invoke void @kv_free(ptr %p)
define void @invoker(ptr %p) personality ptr @__gxx_personality_v0 {
  invoke void @kv_free(ptr %p) to label %ok unwind label %bad
ok:
  ret void
bad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

; Inside an inverse, other releases run when it runs; so does a recursive
; call, and the same holds for the body of an inverse that is a domain.
; CHECK-LABEL: define void @_Z8obj_dropPv(
; CHECK-NOT: __akeso_defer_call
; CHECK: call void @kv_free(ptr %o)
; CHECK-NEXT: call void @_Z8obj_dropPv(ptr %o)
define void @_Z8obj_dropPv(ptr %o) {
  call void @kv_free(ptr %o)
  call void @_Z8obj_dropPv(ptr %o)
  ret void
}
; CHECK-LABEL: define internal void @kv_free.akeso.body(
; CHECK: call void @kv_free(ptr %next)
; CHECK-NOT: __akeso_defer_call
define internal void @kv_free.akeso.body(ptr %p) {
  %next = load ptr, ptr %p
  call void @kv_free(ptr %next)
  ret void
}

; A thunk from the lowering pass is not instrumented: no read hook for
; its argument array, and its call is not deferred.
; CHECK-LABEL: define internal void @akeso.inverse.kv_alloc(ptr %args)
; CHECK-NEXT: %arg0 = load i64, ptr %args
; CHECK-NEXT: [[A:%.*]] = inttoptr i64 %arg0 to ptr
; CHECK-NEXT: call void @kv_free(ptr [[A]])
; CHECK-NEXT: ret void
define internal void @akeso.inverse.kv_alloc(ptr %args) "akeso-generated" {
  %arg0 = load i64, ptr %args
  %a = inttoptr i64 %arg0 to ptr
  call void @kv_free(ptr %a) noinline
  ret void
}

; One thunk per callee, of the same convention, not instrumented either.
; CHECK-LABEL: define internal void @akeso.deferred.kv_free(ptr %args)
; CHECK-SAME: [[GEN:#[0-9]+]]
; CHECK-NEXT: entry:
; CHECK-NEXT: %arg0 = load i64, ptr %args, align 8
; CHECK-NEXT: [[A:%.*]] = inttoptr i64 %arg0 to ptr
; CHECK-NEXT: call void @kv_free(ptr [[A]]) [[NOINLINE:#[0-9]+]]
; CHECK-NEXT: ret void
; CHECK-LABEL: define internal void @akeso.deferred.ref_put(ptr %args)
; CHECK: [[N:%.*]] = trunc i64 %arg1 to i16
; CHECK-NEXT: {{%.*}} = call i32 @ref_put(ptr {{%.*}}, i16 signext [[N]]) [[NOINLINE]]
; CHECK-LABEL: define internal void @akeso.deferred._Z8obj_dropPv(ptr %args)
; CHECK-NOT: __akeso
; CHECK: ret void

; CHECK-DAG: attributes [[GEN]] = { "akeso-generated" }
; CHECK-DAG: attributes [[NOINLINE]] = { noinline }
