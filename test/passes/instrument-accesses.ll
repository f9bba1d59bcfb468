; Every kind of memory access gets a runtime call right before it, sized by
; the access; what cannot matter is left alone.
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g = global i32 0
@c = constant i32 5
; An instrumented module defines the marker the runtime's undo backend of
; guess/fail looks for (weak: one per program).
; CHECK: @__akeso_instrumented = weak global i8 1

declare void @escape(ptr)

; CHECK-LABEL: define i32 @scalars(
define i32 @scalars(ptr %p) {
; CHECK: call void @__akeso_write_1(ptr %p)
; CHECK-NEXT: store i8 1, ptr %p
  store i8 1, ptr %p
; CHECK: call void @__akeso_write_2(ptr %p)
; CHECK-NEXT: store i16 2, ptr %p
  store i16 2, ptr %p
; CHECK: call void @__akeso_write_8(ptr %p)
; CHECK-NEXT: store i64 3, ptr %p
  store i64 3, ptr %p
; CHECK: call void @__akeso_write_8(ptr %p)
; CHECK-NEXT: store double
  store double 1.0, ptr %p
; CHECK: call void @__akeso_read_4(ptr @g)
; CHECK-NEXT: load i32, ptr @g
  %b = load i32, ptr @g
; A constant global cannot change: its reads are not instrumented.
; CHECK-NOT: call void @__akeso_read_4(ptr @c)
  %a = load i32, ptr @c
  %s = add i32 %a, %b
  ret i32 %s
}

; CHECK-LABEL: define void @vectors_and_unaligned(
define void @vectors_and_unaligned(ptr %p, <4 x i32> %v, <8 x i32> %w, i80 %x) {
; CHECK: call void @__akeso_write_16(ptr %p)
; CHECK-NEXT: store <4 x i32> %v
  store <4 x i32> %v, ptr %p, align 1
; Sizes without a fixed hook go through the range hook.
; CHECK: call void @__akeso_write_range(ptr %p, i64 32)
; CHECK-NEXT: store <8 x i32> %w
  store <8 x i32> %w, ptr %p, align 4
; CHECK: call void @__akeso_write_range(ptr %p, i64 10)
; CHECK-NEXT: store i80 %x
  store i80 %x, ptr %p, align 1
; CHECK: call void @__akeso_read_16(ptr %p)
; CHECK-NEXT: load <4 x i32>
  %l = load <4 x i32>, ptr %p, align 2
  ret void
}

; Atomics are reported for what they are (instrument-atomics.ll has them
; all); an atomic load is an ordinary read.
; CHECK-LABEL: define void @atomics(
define void @atomics(ptr %p) {
; CHECK: %x = atomicrmw add ptr @g, i32 1
; CHECK-NEXT: call void @__akeso_atomic_add(ptr @g, i64 4, i64 1)
  %x = atomicrmw add ptr @g, i32 1 seq_cst
; CHECK: %y = cmpxchg ptr %p, i64 0, i64 1
; CHECK: call void @__akeso_atomic_exchanged(ptr %p, i64 8, i64 0, i64 1)
  %y = cmpxchg ptr %p, i64 0, i64 1 seq_cst seq_cst
; CHECK: call void @__akeso_atomic_store(ptr %p, i64 4, i64 7)
; CHECK-NEXT: store atomic i32 7, ptr %p release
  store atomic i32 7, ptr %p release, align 4
; CHECK: call void @__akeso_read_4(ptr %p)
; CHECK-NEXT: load atomic i32, ptr %p acquire
  %z = load atomic i32, ptr %p acquire, align 4
  ret void
}

; CHECK-LABEL: define void @stack(
define void @stack() {
  %local = alloca i32
  %escaped = alloca i32
; A slot whose address never leaves the function dies with the frame.
; CHECK-NOT: call void @__akeso_write_4(ptr %local)
  store i32 1, ptr %local
  call void @escape(ptr %escaped)
; CHECK: call void @__akeso_write_4(ptr %escaped)
; CHECK-NEXT: store i32 2, ptr %escaped
  store i32 2, ptr %escaped
  ret void
}

; CHECK-LABEL: define void @addrspace(
define void @addrspace(ptr addrspace(256) %tls) {
; CHECK-NOT: __akeso
; CHECK: store i32 1, ptr addrspace(256) %tls
  store i32 1, ptr addrspace(256) %tls
  ret void
}

; CHECK: declare void @__akeso_write_1(ptr) [[ATTR:#[0-9]+]]
; CHECK: attributes [[ATTR]] = { nounwind }
