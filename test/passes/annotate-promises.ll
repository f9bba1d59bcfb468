; Functions that cannot be domains as annotated are errors: one declared
; noreturn (the wrapper returns on rollback), one promising a non-null
; result with a null error value, and an alias (wrap what it names).
; RUN: %not %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/promises.yaml -S %s 2>&1 | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g = global i32 0
@alias_name = alias i32 (), ptr @target

; CHECK: error: akeso: {{.*}}promises.yaml:2:5: function 'never_returns' is declared noreturn; a domain must be able to return its error value to its caller
; CHECK-NEXT: {{.*}}promises.yaml:6:12: function 'never_null' is declared to return a non-null pointer (returns_nonnull or a reference); its error value cannot be null
; CHECK-NEXT: {{.*}}promises.yaml:7:5: function 'alias_name' is an alias of 'target'; name 'target' in the annotation file instead
; CHECK-NOT: already_wrapped

define void @never_returns() noreturn {
  unreachable
}
define nonnull ptr @never_null() {
  ret ptr @g
}
define i32 @target() {
  ret i32 0
}
; Output of the lowering pass compiled again: not wrapped twice.
define i32 @already_wrapped() "akeso-domain-wrapper" {
  ret i32 0
}
