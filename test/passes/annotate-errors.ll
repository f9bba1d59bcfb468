; A wrong annotation is a compile-time error naming file:line:column and what
; to do, every problem at once, and the module is not half-annotated.
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/unsupported-kind.yaml -S %s 2>&1 | FileCheck %s
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/syntax-error.yaml -S %s 2>&1 | FileCheck %s --check-prefix=SYNTAX
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/no-such-file.yaml -S %s 2>&1 | FileCheck %s --check-prefix=MISSING

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: error: akeso: {{.*}}unsupported-kind.yaml:2:5: function 'kv_alloc': domain kind 'reversible' is not supported yet
; CHECK-NEXT: {{.*}}unsupported-kind.yaml:8:12: function 'handle_request': error value '300' does not fit return type 'i8'
; CHECK-NEXT: {{.*}}unsupported-kind.yaml:11:12: function 'log_it': function returns void; remove the `error` key
; CHECK-NEXT: {{.*}}unsupported-kind.yaml:12:5: function 'lookup' returns 'i32'; add an `error:` value
; CHECK-NEXT: {{.*}}unsupported-kind.yaml:14:5: function 'vfmt' is variadic
; CHECK-NEXT: {{.*}}unsupported-kind.yaml:19:12: function 'get_ptr': error value '5' does not fit return type 'ptr'
; CHECK-NOT: define

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
