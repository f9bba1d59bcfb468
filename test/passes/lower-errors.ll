; Markers that do not have the documented shape are rejected with a message
; naming the function, and the module is left as it was.
; RUN: %not %opt -passes=akeso-lower -S %s 2>&1 | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@n = private constant [2 x i8] c"f\00"
declare void @akeso.domain.begin(i32, ptr, ...)
declare void @akeso.domain.end()

declare void @akeso.domain.inverse(ptr, ...)
declare void @undo(ptr)
declare void @undo_int(i64)

; CHECK: error: akeso: function 'late': akeso.domain.begin must be the first instruction of the function
; CHECK-NEXT: function 'wrong_type': akeso.domain.begin needs a constant error value of the function's return type
; CHECK-NEXT: function 'void_with_error': akeso.domain.begin of a void function takes no error value
; CHECK-NEXT: function 'kind4': akeso.domain.begin takes a constant kind (0-3) and a name constant
; CHECK-NEXT: function 'unlogged_with_error': akeso.domain.begin of an unlogged domain takes no error value (it is never rolled back)
; CHECK-NEXT: function 'basic_inverse': akeso.domain.inverse is only allowed on reversible (1) and unlogged (3) domains
; CHECK-NEXT: function 'inverse_late': akeso.domain.inverse must follow akeso.domain.begin at once
; CHECK-NEXT: function 'inverse_no_callee': akeso.domain.inverse takes a function and one i32 per argument
; CHECK-NEXT: function 'inverse_bad_index': akeso.domain.inverse argument 1 must be i32 -1 (the return value of a non-void function) or the number of a parameter
; CHECK-NEXT: function 'inverse_ret_void': akeso.domain.inverse argument 1 must be i32 -1
; CHECK-NEXT: function 'inverse_count': inverse 'undo' takes 1 argument(s); akeso.domain.inverse gives 2
; CHECK-NEXT: function 'inverse_type': argument 0 of inverse 'undo_int' has a type its parameter cannot take
define i32 @late(i32 %x) {
  %y = add i32 %x, 1
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, i32 -1)
  ret i32 %y
}
define i32 @wrong_type() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, i64 -1)
  ret i32 0
}
define void @void_with_error() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, i32 0)
  ret void
}
define i32 @kind4() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 4, ptr @n, i32 0)
  ret i32 0
}
define i32 @unlogged_with_error() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n, i32 0)
  ret i32 0
}
define ptr @basic_inverse() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, ptr null)
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo, i32 -1)
  ret ptr null
}
define ptr @inverse_late() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  %p = getelementptr i8, ptr @n, i64 1
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo, i32 -1)
  ret ptr %p
}
define ptr @inverse_no_callee() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr null, i32 -1)
  ret ptr null
}
define ptr @inverse_bad_index(ptr %p) {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo, i32 1)
  ret ptr null
}
define void @inverse_ret_void(ptr %p) {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 1, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo, i32 -1)
  ret void
}
define ptr @inverse_count(ptr %p) {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo, i32 -1, i32 0)
  ret ptr null
}
define ptr @inverse_type(ptr %p) {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @n)
  call void (ptr, ...) @akeso.domain.inverse(ptr @undo_int, i32 0)
  ret ptr null
}
