; Fault injection (-akeso-inject): at the top of every block of an
; instrumented function, the thread's countdown (abi.h,
; AKESO_THREAD_INJECT_COUNTDOWN_OFFSET) is counted down and __akeso_inject is
; called with the block's site when it reaches 0.  Without debug info a
; site's file is "" and its line 0; its index is the block's position in its
; function.
; RUN: %opt -passes=akeso-inject -akeso-inject -S %s | FileCheck %s
; Sites are inserted once, however often the pass runs.
; RUN: %opt -passes=akeso-inject,akeso-inject -akeso-inject -S %s | FileCheck %s
; RUN: %opt -passes=akeso-inject -akeso-inject -S %s | %opt -passes=akeso-inject -akeso-inject -S | FileCheck %s
; Without the option, even a pipeline that names the pass changes nothing.
; RUN: %opt -passes=akeso-inject -S %s | FileCheck %s --check-prefix=OFF
; RUN: %opt -passes=akeso-inject-mark,akeso-inject -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; OFF-NOT: @__akeso_thread
; OFF-NOT: __akeso_inject
; OFF-NOT: akeso.inject
; OFF-NOT: akeso-inject-sites

; One string per function name and per file, shared by its sites.
; CHECK: @__akeso_thread = external thread_local(initialexec) global ptr
; CHECK: @akeso.inject.function = private unnamed_addr constant [7 x i8] c"branch\00", align 1
; CHECK-NEXT: @akeso.inject.file = private unnamed_addr constant [1 x i8] zeroinitializer, align 1
; CHECK-NEXT: @akeso.inject.site = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 0, i32 0 }
; CHECK-NEXT: @akeso.inject.site.1 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 0, i32 1 }
; CHECK-NEXT: @akeso.inject.site.2 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function, ptr @akeso.inject.file, i32 0, i32 2 }
; CHECK-NEXT: @akeso.inject.function.3 = private unnamed_addr constant [9 x i8] c"straight\00", align 1
; CHECK-NEXT: @akeso.inject.site.4 = private constant { ptr, ptr, i32, i32 } { ptr @akeso.inject.function.3, ptr @akeso.inject.file, i32 0, i32 0 }
; CHECK-NOT: @akeso.inject.site

; The whole shape, in the entry block after its static allocas (split off
; from the entry block they would become dynamic allocations).
; CHECK-LABEL: define i32 @branch(i32 %x, ptr %p)
; CHECK-SAME: [[ATTRS:#[0-9]+]]
; CHECK-NEXT: entry:
; CHECK-NEXT: %slot = alloca i32, align 4
; CHECK-NEXT: %akeso.inject.state = load ptr, ptr @__akeso_thread, align 8
; CHECK-NEXT: %akeso.inject.nostate = icmp eq ptr %akeso.inject.state, null
; CHECK-NEXT: br i1 %akeso.inject.nostate, label %[[CONT:akeso.inject.cont[0-9]*]], label %[[CHECK:akeso.inject.check[0-9]*]]
; CHECK-EMPTY:
; CHECK-NEXT: [[CHECK]]:
; CHECK-NEXT: %akeso.inject.addr = getelementptr inbounds i8, ptr %akeso.inject.state, i64 8
; CHECK-NEXT: %akeso.inject.countdown = load i64, ptr %akeso.inject.addr, align 8
; CHECK-NEXT: %akeso.inject.idle = icmp eq i64 %akeso.inject.countdown, 0
; CHECK-NEXT: br i1 %akeso.inject.idle, label %[[CONT]], label %[[TICK:akeso.inject.tick[0-9]*]]
; CHECK-EMPTY:
; CHECK-NEXT: [[TICK]]:
; CHECK-NEXT: %akeso.inject.left = sub i64 %akeso.inject.countdown, 1
; CHECK-NEXT: store i64 %akeso.inject.left, ptr %akeso.inject.addr, align 8
; CHECK-NEXT: %akeso.inject.now = icmp eq i64 %akeso.inject.left, 0
; CHECK-NEXT: br i1 %akeso.inject.now, label %[[FIRE:akeso.inject.fire[0-9]*]], label %[[CONT]], !prof [[COLD:![0-9]+]]
; CHECK-EMPTY:
; CHECK-NEXT: [[FIRE]]:
; CHECK-NEXT: call void @__akeso_inject(ptr @akeso.inject.site)
; CHECK-NEXT: br label %[[CONT]]
; CHECK-EMPTY:
; CHECK-NEXT: [[CONT]]:
; CHECK-NEXT: store i32 %x, ptr %slot
; CHECK-NEXT: %c = icmp eq i32 %x, 0
; CHECK-NEXT: br i1 %c, label %then, label %done
; Every block, each with its own site.
; CHECK: then:
; CHECK-NEXT: load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.1)
; CHECK: store i32 1, ptr %p
; CHECK-NEXT: br label %done
; After the PHIs, which now come from the blocks the sites split off.
; CHECK: done:
; CHECK-NEXT: %r = phi i32 [ 1, %[[CONT]] ], [ 2, %akeso.inject.cont{{[0-9]*}} ]
; CHECK-NEXT: load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.2)
; CHECK: ret i32 %r
; CHECK-NOT: __akeso_inject
; CHECK-LABEL: {{^}}}
define i32 @branch(i32 %x, ptr %p) "akeso-instrumented" {
entry:
  %slot = alloca i32, align 4
  store i32 %x, ptr %slot
  %c = icmp eq i32 %x, 0
  br i1 %c, label %then, label %done
then:
  store i32 1, ptr %p
  br label %done
done:
  %r = phi i32 [ 1, %entry ], [ 2, %then ]
  ret i32 %r
}

; CHECK-LABEL: define void @straight()
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.4)
; CHECK: ret void
define void @straight() "akeso-instrumented" {
  ret void
}

; Only what akeso-instrument instrumented gets sites; never the runtime's
; glue, even when marked instrumented.
; CHECK-LABEL: define void @not_instrumented()
; CHECK-NEXT: ret void
define void @not_instrumented() {
  ret void
}
; CHECK-LABEL: define void @__akeso_helper()
; CHECK-NEXT: ret void
define void @__akeso_helper() "akeso-instrumented" {
  ret void
}
; CHECK-LABEL: define void @akeso.thunk()
; CHECK-NEXT: ret void
define void @akeso.thunk() "akeso-instrumented" {
  ret void
}
; CHECK-LABEL: define void @generated()
; CHECK-NEXT: ret void
define void @generated() "akeso-generated" "akeso-instrumented" {
  ret void
}
; CHECK-LABEL: define void @naked()
; CHECK-NEXT: unreachable
define void @naked() naked "akeso-instrumented" {
  unreachable
}

; CHECK: declare void @__akeso_inject(ptr) [[NOUNWIND:#[0-9]+]]
; CHECK: attributes [[ATTRS]] = { "akeso-inject-sites" "akeso-instrumented" }
; CHECK: attributes [[NOUNWIND]] = { nounwind }
; CHECK: [[COLD]] = !{!"branch_weights", i32 1, i32 1048575}
