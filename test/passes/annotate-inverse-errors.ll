; An inverse is checked against the function and the callee's declaration
; when the function is compiled: the callee must exist, take as many
; arguments as the annotation passes, each of a type the thunk convention
; carries (integers up to 64 bits, pointers, float, double; at most 8, no
; variadic callee, nothing passed by value), and each argument must be a
; value the wrapper has (`ret` of a non-void function, an existing `argN`)
; of the parameter's sort.  Every problem is reported at the inverse's
; file:line:column, all at once, with the error value's problems.
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/inverse-errors.yaml -S %s 2>&1 | FileCheck %s
; An error value on an unlogged domain is rejected when the file is read.
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/unlogged-error.yaml -S %s 2>&1 | FileCheck %s --check-prefix=UNLOGGED

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: error: akeso: {{.*}}inverse-errors.yaml:5:14: function 'a_count': inverse 'release' takes 1 argument(s) but 'release(ret, arg0)' passes 2
; CHECK-NEXT: {{.*}}inverse-errors.yaml:8:14: function 'a_ret_void': 'ret' in inverse 'release(ret)': the function returns void
; CHECK-NEXT: {{.*}}inverse-errors.yaml:11:14: function 'a_arg_range': 'arg2' in inverse 'release(arg2)': the function has 1 parameter(s)
; CHECK-NEXT: {{.*}}inverse-errors.yaml:15:14: function 'a_mismatch': 'ret' (type 'ptr') cannot be passed for parameter 0 of inverse 'release_i64' (type 'i64'); pass integers for integers, pointers for pointers, float for float and double for double
; CHECK-NEXT: {{.*}}inverse-errors.yaml:18:14: function 'a_wide': parameter 0 of inverse 'release_wide' has type 'i128'; only integers of up to 64 bits, pointers, float and double can be passed
; CHECK-NEXT: {{.*}}inverse-errors.yaml:21:14: function 'a_variadic': inverse 'release_va' is variadic; it must take a fixed list of arguments
; CHECK-NEXT: {{.*}}inverse-errors.yaml:24:14: function 'a_nine': inverse 'release9' takes 9 parameters; at most 8 are supported (AKESO_MAX_INVERSE_ARGS)
; CHECK-NEXT: {{.*}}inverse-errors.yaml:27:14: function 'a_ambiguous': inverse 'drop' names several functions (_Z4dropPi, _Z4dropPc); name one by its symbol
; CHECK-NEXT: {{.*}}inverse-errors.yaml:30:14: function 'a_byval': parameter 0 of inverse 'release_byval' passes an object by value or returns one; only scalars can be passed
; CHECK-NEXT: {{.*}}inverse-errors.yaml:33:14: function 'a_float': 'arg0' (type 'float') cannot be passed for parameter 0 of inverse 'release_double' (type 'double')
; CHECK-NEXT: {{.*}}inverse-errors.yaml:36:12: function 'a_both': error value '300' does not fit return type 'i8'
; CHECK-NEXT: {{.*}}inverse-errors.yaml:37:14: function 'a_both': 'arg1' in inverse 'release(arg1)': the function has 1 parameter(s)
; CHECK-NOT: {{.}}

; UNLOGGED: error: akeso: {{.*}}unlogged-error.yaml:4:12: error: an unlogged domain is never rolled back, so its error value would never be used; remove the `error` key

declare void @release(ptr)
declare void @release_i64(i64)
declare void @release_wide(i128)
declare void @release_va(ptr, ...)
declare void @release9(i32, i32, i32, i32, i32, i32, i32, i32, i32)
declare void @_Z4dropPi(ptr)
declare void @_Z4dropPc(ptr)
declare void @release_byval(ptr byval(i64))
declare void @release_double(double)

define ptr @a_count(i64 %n) {
  ret ptr null
}
define void @a_ret_void(ptr %p) {
  ret void
}
define ptr @a_arg_range(ptr %p) {
  ret ptr %p
}
define ptr @a_mismatch() {
  ret ptr null
}
define i128 @a_wide(i128 %x) {
  ret i128 %x
}
define ptr @a_variadic() {
  ret ptr null
}
define i32 @a_nine(i32 %x) {
  ret i32 %x
}
define ptr @a_ambiguous() {
  ret ptr null
}
define ptr @a_byval() {
  ret ptr null
}
define float @a_float(float %f) {
  ret float %f
}
define i8 @a_both(ptr %p) {
  ret i8 0
}
define i32 @poke_device() {
  ret i32 0
}
