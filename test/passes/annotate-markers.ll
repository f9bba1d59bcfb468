; The annotation file's entries become domain markers: begin first in the
; function with the kind, the name and a typed error value; end before every
; return.
; RUN: %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/domains.yaml -S %s 2>&1 | FileCheck %s
; The environment variable names the file when the option is absent.
; RUN: env AKESO_ANNOTATIONS=%S/Inputs/domains.yaml %opt -passes=akeso-annotate -S %s 2>&1 | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: warning: akeso: {{.*}}domains.yaml:13:5: function 'flag' does not occur in module

; Reports use the C++ name of a C++ function.
; CHECK: @akeso.name._ZN2kv5Store3putEii = {{.*}} c"kv::Store::put(int, int)\00"

; CHECK-LABEL: define i32 @handle_request(i32 %x)
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @akeso.name.handle_request, i32 -1)
; CHECK: call void @akeso.domain.end()
; CHECK-NEXT: ret i32 0
; CHECK: call void @akeso.domain.end()
; CHECK-NEXT: ret i32 %x
define i32 @handle_request(i32 %x) {
  %c = icmp eq i32 %x, 0
  br i1 %c, label %zero, label %other
zero:
  ret i32 0
other:
  ret i32 %x
}

; CHECK-LABEL: define ptr @get_ptr()
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @akeso.name.get_ptr, ptr null)
define ptr @get_ptr() {
  ret ptr null
}

; CHECK-LABEL: define void @do_void()
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @akeso.name.do_void)
; CHECK-NEXT: call void @akeso.domain.end()
; CHECK-NEXT: ret void
define void @do_void() {
  ret void
}

; A glob; a floating error value.
; CHECK-LABEL: define double @ratio_of_hits()
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @akeso.name.ratio_of_hits, double 5.000000e-01)
define double @ratio_of_hits() {
  ret double 1.0
}

; A C++ method named by its mangled symbol.
; CHECK-LABEL: define i32 @_ZN2kv5Store3putEii(
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @akeso.name._ZN2kv5Store3putEii, i32 1)
define i32 @_ZN2kv5Store3putEii(i32 %a, i32 %b) {
  ret i32 0
}

; Not listed: untouched.
; CHECK-LABEL: define i32 @helper()
; CHECK-NEXT: ret i32 3
define i32 @helper() {
  ret i32 3
}
