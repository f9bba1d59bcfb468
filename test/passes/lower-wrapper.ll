; A function with domain markers becomes a wrapper with the original name and
; signature around the renamed body; the landing pad returns the error value.
; RUN: %opt -passes=akeso-lower -S %s | FileCheck %s
; The whole front of the pipeline, from the annotation file on:
; RUN: %opt -passes=akeso-annotate,akeso-lower -akeso-annotations=%S/Inputs/domains.yaml -S %S/annotate-markers.ll 2>/dev/null | FileCheck %s --check-prefix=PIPE

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@name = private constant [15 x i8] c"handle_request\00"
@vname = private constant [3 x i8] c"vd\00"
@table = global ptr @handle_request

declare void @akeso.domain.begin(i32, ptr, ...)
declare void @akeso.domain.end()
declare i32 @may_throw(i32)

; Function pointers now point at the wrapper, which has the original name.
; CHECK: @table = global ptr @handle_request
; CHECK: @akeso.file = private unnamed_addr constant [6 x i8] c"req.c\00"
; CHECK: @akeso.domain.handle_request = private constant { ptr, ptr, i32, i32 } { ptr @name, ptr @akeso.file, i32 12, i32 0 }

; CHECK-LABEL: define internal i32 @handle_request.akeso.body(i32 noundef %x, ptr %out)
; CHECK-NOT: akeso.domain
; CHECK: store i32 %x, ptr %out
; CHECK-NOT: akeso.domain
; CHECK: ret i32 0
define i32 @handle_request(i32 noundef %x, ptr %out) nounwind !dbg !5 {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @name, i32 -1)
  store i32 %x, ptr %out
  call void @akeso.domain.end()
  ret i32 0
}

; CHECK-LABEL: define internal void @vd.akeso.body()
define void @vd() {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @vname)
  %r = call i32 @may_throw(i32 1)
  call void @akeso.domain.end()
  ret void
}

; CHECK: declare i32 @_setjmp(ptr) [[SJ:#[0-9]+]]

; CHECK-LABEL: define i32 @handle_request(i32 noundef %x, ptr %out)
; CHECK-SAME: [[WATTR:#[0-9]+]]
; CHECK: entry:
; CHECK-NEXT: %pad = call ptr @__akeso_domain_begin(i32 0, ptr @akeso.domain.handle_request)
; CHECK-NEXT: %landed = call i32 @_setjmp(ptr %pad) [[RT:#[0-9]+]]
; CHECK-NEXT: [[C:%.*]] = icmp ne i32 %landed, 0
; CHECK-NEXT: br i1 [[C]], label %landing.pad, label %run
; CHECK: run:
; CHECK-NEXT: [[V:%.*]] = call i32 @handle_request.akeso.body(i32 noundef %x, ptr %out)
; CHECK-NEXT: call void @__akeso_domain_end()
; CHECK-NEXT: ret i32 [[V]]
; CHECK: landing.pad:
; CHECK-NEXT: ret i32 -1

; A body that may unwind is invoked; an exception ends the domain on its way.
; CHECK-LABEL: define void @vd() {{.*}} personality ptr @__gcc_personality_v0
; CHECK: invoke void @vd.akeso.body()
; CHECK-NEXT: to label %done unwind label %unwind
; CHECK: landing.pad:
; CHECK-NEXT: ret void
; CHECK: done:
; CHECK-NEXT: call void @__akeso_domain_end()
; CHECK-NEXT: ret void
; CHECK: unwind:
; CHECK-NEXT: [[LP:%.*]] = landingpad { ptr, i32 }
; CHECK-NEXT: cleanup
; CHECK-NEXT: call void @__akeso_domain_end()
; CHECK-NEXT: resume { ptr, i32 } [[LP]]

; CHECK-DAG: attributes [[WATTR]] = { noinline nounwind "akeso-domain-wrapper" }
; CHECK-DAG: attributes [[SJ]] = { nounwind returns_twice }
; CHECK-DAG: attributes [[RT]] = { returns_twice }

; PIPE-LABEL: define double @ratio_of_hits()
; PIPE: call ptr @__akeso_domain_begin(i32 0, ptr @akeso.domain.ratio_of_hits)
; PIPE: landing.pad:
; PIPE-NEXT: ret double 5.000000e-01

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "req.c", directory: "/src")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !DISubroutineType(types: !{})
!5 = distinct !DISubprogram(name: "handle_request", scope: !1, file: !1, line: 12, type: !4, unit: !0, spFlags: DISPFlagDefinition)
