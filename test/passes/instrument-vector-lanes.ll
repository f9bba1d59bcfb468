; Masked, scattered and compressed vector stores write only their active
; lanes, and inactive lanes may point anywhere: each lane is logged only if
; its mask bit is set (size 0 otherwise).
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @llvm.masked.scatter.v2i32.v2p0(<2 x i32>, <2 x ptr>, i32, <2 x i1>)
declare void @llvm.masked.store.v2i64.p0(<2 x i64>, ptr, i32, <2 x i1>)
declare void @llvm.masked.compressstore.v4i32(<4 x i32>, ptr, <4 x i1>)

; CHECK-LABEL: define void @scatter(
define void @scatter(<2 x i32> %v, <2 x ptr> %ps, <2 x i1> %m) {
; CHECK: [[P0:%.*]] = extractelement <2 x ptr> %ps, i64 0
; CHECK-NEXT: [[M0:%.*]] = extractelement <2 x i1> %m, i64 0
; CHECK-NEXT: [[S0:%.*]] = select i1 [[M0]], i64 4, i64 0
; CHECK-NEXT: call void @__akeso_write_range(ptr [[P0]], i64 [[S0]])
; CHECK-NEXT: [[P1:%.*]] = extractelement <2 x ptr> %ps, i64 1
; CHECK-NEXT: [[M1:%.*]] = extractelement <2 x i1> %m, i64 1
; CHECK-NEXT: [[S1:%.*]] = select i1 [[M1]], i64 4, i64 0
; CHECK-NEXT: call void @__akeso_write_range(ptr [[P1]], i64 [[S1]])
; CHECK-NEXT: call void @llvm.masked.scatter
  call void @llvm.masked.scatter.v2i32.v2p0(<2 x i32> %v, <2 x ptr> %ps, i32 4, <2 x i1> %m)
  ret void
}

; CHECK-LABEL: define void @masked_store(
define void @masked_store(<2 x i64> %v, ptr %p, <2 x i1> %m) {
; CHECK: [[P0:%.*]] = getelementptr i64, ptr %p, i64 0
; CHECK-NEXT: [[M0:%.*]] = extractelement <2 x i1> %m, i64 0
; CHECK-NEXT: [[S0:%.*]] = select i1 [[M0]], i64 8, i64 0
; CHECK-NEXT: call void @__akeso_write_range(ptr [[P0]], i64 [[S0]])
; CHECK: [[P1:%.*]] = getelementptr i64, ptr %p, i64 1
; CHECK: call void @__akeso_write_range(ptr [[P1]], i64
; CHECK: call void @llvm.masked.store
  call void @llvm.masked.store.v2i64.p0(<2 x i64> %v, ptr %p, i32 8, <2 x i1> %m)
  ret void
}

; The active lanes of a compressed store land contiguously at the base.
; CHECK-LABEL: define void @compress(
define void @compress(<4 x i32> %v, ptr %p, <4 x i1> %m) {
; CHECK: [[B:%.*]] = bitcast <4 x i1> %m to i4
; CHECK-NEXT: [[N:%.*]] = call i4 @llvm.ctpop.i4(i4 [[B]])
; CHECK-NEXT: [[W:%.*]] = zext i4 [[N]] to i64
; CHECK-NEXT: [[BYTES:%.*]] = mul i64 [[W]], 4
; CHECK-NEXT: call void @__akeso_write_range(ptr %p, i64 [[BYTES]])
  call void @llvm.masked.compressstore.v4i32(<4 x i32> %v, ptr %p, <4 x i1> %m)
  ret void
}
