; The order clang's pipeline uses with -akeso-inject: akeso-inject-mark
; marks each block before akeso-instrument splits blocks around its inline
; fast paths, and akeso-inject gives a site to the marked blocks only, so a
; site never lands between a fast path's version check and its access.
; RUN: %opt -passes=akeso-inject-mark -akeso-inject -S %s | FileCheck %s --check-prefix=MARK
; RUN: %opt -passes=akeso-inject-mark,akeso-instrument,akeso-inject -akeso-inject -S %s | FileCheck %s
; The same through the optimisation pipeline's extension point.
; RUN: %opt -passes='default<O0>' -akeso-inject -S %s | FileCheck %s
; Without the marks every block gets a site, the fast paths' included.
; RUN: %opt -passes=akeso-instrument,akeso-inject -akeso-inject -S %s | FileCheck %s --check-prefix=UNMARKED
; Nothing of it without the option.
; RUN: %opt -passes='default<O0>' -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g = global i64 0

; MARK-LABEL: define void @update(i1 %c, i64 %v)
; MARK-NEXT: entry:
; MARK-NEXT: call void @akeso.inject.block(i32 0)
; MARK-NEXT: br i1 %c, label %write, label %done
; MARK: write:
; MARK-NEXT: call void @akeso.inject.block(i32 1)
; MARK-NEXT: store i64 %v, ptr @g
; MARK: done:
; MARK-NEXT: call void @akeso.inject.block(i32 2)
; MARK-NEXT: ret void
; Already instrumented: its blocks are no longer the optimiser's.
; MARK-LABEL: define void @instrumented()
; MARK-NEXT: ret void
; MARK: declare void @akeso.inject.block(i32) [[NOUNWIND:#[0-9]+]]
; MARK: attributes [[NOUNWIND]] = { nounwind }

; CHECK-NOT: akeso.inject.block
; CHECK: @akeso.inject.site = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 0, i32 0 }
; CHECK-NEXT: @akeso.inject.site.1 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 0, i32 1 }
; CHECK-NEXT: @akeso.inject.site.2 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 0, i32 2 }
; CHECK-NOT: @akeso.inject.site

; CHECK-LABEL: define void @update(i1 %c, i64 %v)
; CHECK-NEXT: entry:
; CHECK-NEXT: %akeso.inject.state = load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site)
; CHECK: br i1 %c, label %write, label %done
; The site comes first, then the access counters and the fast path, whose
; blocks have none.
; CHECK: write:
; CHECK-NEXT: %akeso.inject.state{{[0-9]+}} = load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.1)
; CHECK-NEXT: br label %[[CONT:akeso.inject.cont[0-9]*]]
; CHECK: [[CONT]]:
; CHECK-NEXT: load ptr, ptr @__akeso_thread
; CHECK-NEXT: icmp eq ptr
; CHECK-NEXT: select i1 {{.*}}, ptr @akeso.uncounted
; CHECK-NOT: __akeso_inject
; CHECK: call void @__akeso_write_8(ptr @g)
; CHECK-NOT: __akeso_inject
; CHECK: store i64 %v, ptr @g
; CHECK-NEXT: br label %done
; CHECK: done:
; CHECK-NEXT: %akeso.inject.state{{[0-9]+}} = load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.2)
; CHECK-NOT: __akeso_inject
; CHECK: ret void
; CHECK-NOT: __akeso_inject
; CHECK-LABEL: define void @instrumented()
; CHECK-NEXT: ret void
define void @update(i1 %c, i64 %v) {
entry:
  br i1 %c, label %write, label %done
write:
  store i64 %v, ptr @g
  br label %done
done:
  ret void
}

; Marked functions the instrumentation leaves alone lose their marks and get
; no sites (and those instrumented before the marks, like this one, have no
; marks and keep the sites they have, none).
define void @instrumented() "akeso-instrumented" "akeso-inject-sites" {
  ret void
}

; CHECK-LABEL: define void @opted_out()
; CHECK-NEXT: entry:
; CHECK-NEXT: store i64 1, ptr @g
; CHECK-NEXT: ret void
define void @opted_out() disable_sanitizer_instrumentation {
entry:
  store i64 1, ptr @g
  ret void
}
; CHECK-NOT: declare void @akeso.inject.block

; UNMARKED-LABEL: define void @update(
; UNMARKED: akeso.check:
; UNMARKED-NEXT: load ptr, ptr @__akeso_thread
; UNMARKED: call void @__akeso_inject(

; OFF-NOT: akeso.inject
; OFF-NOT: call void @__akeso_inject
