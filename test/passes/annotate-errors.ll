; A wrong annotation is a compile-time error naming file:line:column and what
; to do, every problem at once, and the module is not half-annotated.
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/annotate-errors.yaml -S %s 2>&1 | FileCheck %s
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/syntax-error.yaml -S %s 2>&1 | FileCheck %s --check-prefix=SYNTAX
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/no-such-file.yaml -S %s 2>&1 | FileCheck %s --check-prefix=MISSING

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; The inverse's callee must be declared: its parameter types decide how the
; arguments are passed (annotate-inverse-errors.ll has the other checks).
; CHECK: error: akeso: {{.*}}annotate-errors.yaml:5:14: function 'kv_alloc': inverse 'kv_free' is not declared in this translation unit
; CHECK-NEXT: {{.*}}annotate-errors.yaml:8:12: function 'handle_request': error value '300' does not fit return type 'i8'
; CHECK-NEXT: {{.*}}annotate-errors.yaml:11:12: function 'log_it': function returns void; remove the `error` key
; CHECK-NEXT: {{.*}}annotate-errors.yaml:12:5: function 'lookup' returns 'i32'; add an `error:` value
; CHECK-NEXT: {{.*}}annotate-errors.yaml:14:5: function 'vfmt' is variadic
; CHECK-NEXT: {{.*}}annotate-errors.yaml:19:12: function 'get_ptr': error value '5' does not fit return type 'ptr'
; A transparent domain is rolled back like a basic one: it needs an error
; value; an unlogged one (poke_device) does not.
; CHECK-NEXT: {{.*}}annotate-errors.yaml:22:5: function 'evict' returns 'i32'; add an `error:` value
; CHECK-NOT: akeso.domain.begin

; SYNTAX: error: akeso: {{.*}}syntax-error.yaml:3:11: {{.*}}unknown domain kind 'basik'; expected basic, reversible, transparent or unlogged
; SYNTAX: {{.*}}syntax-error.yaml:6:5: {{.*}}unknown key 'knd'; expected one of: function, kind, error, inverse

; MISSING: error: akeso: {{.*}}cannot read annotation file '{{.*}}no-such-file.yaml'

define ptr @kv_alloc(i64 %n) {
  ret ptr null
}
define i8 @handle_request() {
  ret i8 0
}
define void @log_it() {
  ret void
}
define i32 @lookup() {
  ret i32 0
}
define i32 @vfmt(ptr %f, ...) {
  ret i32 0
}
define ptr @get_ptr() {
  ret ptr null
}
define i32 @poke_device() {
  ret i32 0
}
define i32 @evict() {
  ret i32 0
}
