; With debug info, a site names the file and line of the first instruction
; of its block that has a location (one with a line if there is one); code
; inlined from another file names that file.  A block with no location at
; all gets "" and 0.  The site's code carries the same location.
; RUN: %opt -passes=akeso-inject -akeso-inject -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @akeso.inject.function = private unnamed_addr constant [7 x i8] c"lookup\00", align 1
; CHECK-NEXT: @akeso.inject.file = private unnamed_addr constant [6 x i8] c"kvd.c\00", align 1
; CHECK-NEXT: @akeso.inject.site = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 12, i32 0 }
; CHECK-NEXT: @akeso.inject.file.1 = private unnamed_addr constant [1 x i8] zeroinitializer, align 1
; CHECK-NEXT: @akeso.inject.site.2 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file.1, i32 0, i32 1 }
; CHECK-NEXT: @akeso.inject.file.3 = private unnamed_addr constant [8 x i8] c"table.h\00", align 1
; CHECK-NEXT: @akeso.inject.site.4 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file.3, i32 40, i32 2 }
; CHECK-NEXT: @akeso.inject.site.5 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 14, i32 3 }

; CHECK-LABEL: define i32 @lookup(
; CHECK: entry:
; CHECK-NEXT: %akeso.inject.state = load ptr, ptr @__akeso_thread, align 8, !dbg [[L12:![0-9]+]]
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site), !dbg [[L12]]
; CHECK: nodebug:
; CHECK-NEXT: load ptr, ptr @__akeso_thread, align 8{{$}}
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.2){{$}}
; CHECK: inlined:
; CHECK-NEXT: load ptr, ptr @__akeso_thread, align 8, !dbg [[L40:![0-9]+]]
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.4), !dbg [[L40]]
; CHECK: done:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.5), !dbg [[L14:![0-9]+]]
define i32 @lookup(i32 %k) "akeso-instrumented" !dbg !5 {
entry:
  %c = icmp eq i32 %k, 0, !dbg !8
  br i1 %c, label %nodebug, label %inlined, !dbg !9
nodebug:
  br label %done
inlined:
  %d = add i32 %k, 1, !dbg !12
  br label %done, !dbg !12
done:
  %r = phi i32 [ 0, %nodebug ], [ %d, %inlined ]
  ret i32 %r, !dbg !10
}

; CHECK-DAG: [[L12]] = !DILocation(line: 12,
; CHECK-DAG: [[L40]] = !DILocation(line: 40, column: 3, scope: {{![0-9]+}}, inlinedAt:
; CHECK-DAG: [[L14]] = !DILocation(line: 14,

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}

!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "kvd.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 7, !"Dwarf Version", i32 5}
!4 = !DISubroutineType(types: !{})
!5 = distinct !DISubprogram(name: "lookup", scope: !1, file: !1, line: 10, type: !4, scopeLine: 10, unit: !0, spFlags: DISPFlagDefinition | DISPFlagOptimized)
; A location without a line comes first in the entry block.
!8 = !DILocation(line: 0, scope: !5)
!9 = !DILocation(line: 12, column: 7, scope: !5)
!10 = !DILocation(line: 14, column: 3, scope: !5)
!11 = !DIFile(filename: "table.h", directory: "/src")
!13 = distinct !DISubprogram(name: "hash", scope: !11, file: !11, line: 38, type: !4, scopeLine: 38, unit: !0, spFlags: DISPFlagDefinition | DISPFlagOptimized)
!12 = !DILocation(line: 40, column: 3, scope: !13, inlinedAt: !14)
!14 = !DILocation(line: 13, column: 10, scope: !5)
