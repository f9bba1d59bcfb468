; Lock calls go through the runtime, which undoes them on rollback.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument -akeso-track-locks=false -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare i32 @pthread_mutex_lock(ptr)
declare i32 @pthread_mutex_unlock(ptr)
declare i32 @pthread_rwlock_rdlock(ptr)
declare i32 @pthread_spin_trylock(ptr)

; CHECK-LABEL: define void @locks(
; CHECK: call i32 @__akeso_mutex_lock(ptr %m)
; CHECK: call i32 @__akeso_rwlock_rdlock(ptr %l)
; CHECK: call i32 @__akeso_spin_trylock(ptr %s)
; CHECK: call i32 @__akeso_mutex_unlock(ptr %m)
; OFF: call i32 @pthread_mutex_lock(ptr %m)
; OFF: call i32 @pthread_mutex_unlock(ptr %m)
define void @locks(ptr %m, ptr %l, ptr %s) {
  %1 = call i32 @pthread_mutex_lock(ptr %m)
  %2 = call i32 @pthread_rwlock_rdlock(ptr %l)
  %3 = call i32 @pthread_spin_trylock(ptr %s)
  %4 = call i32 @pthread_mutex_unlock(ptr %m)
  ret void
}
