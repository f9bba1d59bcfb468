; Markers that do not have the documented shape are rejected with a message
; naming the function, and the module is left as it was.
; RUN: %not %opt -passes=akeso-lower -S %s 2>&1 | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@n = private constant [2 x i8] c"f\00"
declare void @akeso.domain.begin(i32, ptr, ...)
declare void @akeso.domain.end()

; CHECK: error: akeso: function 'late': akeso.domain.begin must be the first instruction of the function
; CHECK-NEXT: function 'wrong_type': akeso.domain.begin needs a constant error value of the function's return type
; CHECK-NEXT: function 'void_with_error': akeso.domain.begin of a void function takes no error value
; CHECK-NEXT: function 'kind2': domain kind 2 is not supported yet
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
define i32 @kind2() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 2, ptr @n, i32 0)
  ret i32 0
}
