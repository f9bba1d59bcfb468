; Exception handling and domain wrappers.  A landing pad's site follows the
; landingpad (the block runs the program's own cleanup); a catchswitch block
; has no place for code and gets none; a site inside a Windows EH funclet
; carries the funclet's operand bundle.  A domain wrapper's setjmp landing
; pad, which runs only once its domain was rolled back, gets no site unless
; other paths share its block.
; RUN: %opt -passes=akeso-inject -akeso-inject -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@desc = private constant { ptr, ptr, i32, i32 } zeroinitializer

declare void @may_throw()
declare void @handle()
declare i32 @__gxx_personality_v0(...)
declare i32 @__CxxFrameHandler3(...)
declare i32 @body(i32)
declare ptr @__akeso_domain_begin(i32, ptr)
declare void @__akeso_domain_end()
declare i32 @_setjmp(ptr) returns_twice

; The indices of the sites below.
; CHECK-DAG: @akeso.inject.site.4 = {{.*}} i32 0, i32 0 }
; CHECK-DAG: @akeso.inject.site.5 = {{.*}} i32 0, i32 2 }
; CHECK-DAG: @akeso.inject.site.6 = {{.*}} i32 0, i32 3 }
; CHECK-DAG: @akeso.inject.site.7 = {{.*}} i32 0, i32 4 }
; CHECK-DAG: @akeso.inject.site.8 = {{.*}} i32 0, i32 5 }
; CHECK-DAG: @akeso.inject.site.10 = {{.*}} i32 0, i32 0 }
; CHECK-DAG: @akeso.inject.site.11 = {{.*}} i32 0, i32 1 }
; CHECK-DAG: @akeso.inject.site.15 = {{.*}} i32 0, i32 2 }
; CHECK-NOT: @akeso.inject.site.16 =

; CHECK-LABEL: define void @itanium()
; CHECK: entry:
; CHECK-NEXT: %akeso.inject.state = load ptr, ptr @__akeso_thread
; CHECK: invoke void @may_throw()
; CHECK: lpad:
; CHECK-NEXT: %lp = landingpad { ptr, i32 }
; CHECK-NEXT: cleanup
; CHECK-NEXT: load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.1)
; CHECK: call void @handle()
; CHECK-NEXT: resume { ptr, i32 } %lp
; CHECK: done:
; CHECK-NEXT: load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.2)
; CHECK: ret void
define void @itanium() "akeso-instrumented" personality ptr @__gxx_personality_v0 {
entry:
  invoke void @may_throw() to label %done unwind label %lpad
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  call void @handle()
  resume { ptr, i32 } %lp
done:
  ret void
}

; Block 1, the catchswitch, has no site; the others are 0, 2, 3, 4, 5.
; CHECK-LABEL: define void @funclets()
; CHECK: entry:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.4){{$}}
; CHECK: dispatch:
; CHECK-NEXT: %cs = catchswitch within none [label %catch] unwind label %cleanup
; CHECK-EMPTY:
; CHECK-NEXT: catch:
; CHECK-NEXT: %cp = catchpad within %cs [ptr null, i32 64, ptr null]
; CHECK-NEXT: load ptr, ptr @__akeso_thread
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.5) [ "funclet"(token %cp) ]
; CHECK: call void @handle() [ "funclet"(token %cp) ]
; CHECK-NEXT: br label %catch.body
; CHECK: catch.body:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.6) [ "funclet"(token %cp) ]
; CHECK: catchret from %cp to label %done
; CHECK: cleanup:
; CHECK-NEXT: %cl = cleanuppad within none []
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.7) [ "funclet"(token %cl) ]
; CHECK: cleanupret from %cl unwind to caller
; CHECK: done:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.8){{$}}
; CHECK: ret void
define void @funclets() "akeso-instrumented" personality ptr @__CxxFrameHandler3 {
entry:
  invoke void @may_throw() to label %done unwind label %dispatch
dispatch:
  %cs = catchswitch within none [label %catch] unwind label %cleanup
catch:
  %cp = catchpad within %cs [ptr null, i32 64, ptr null]
  call void @handle() [ "funclet"(token %cp) ]
  br label %catch.body
catch.body:
  catchret from %cp to label %done
cleanup:
  %cl = cleanuppad within none []
  cleanupret from %cl unwind to caller
done:
  ret void
}

; The wrapper as akeso-lower emits it: sites in entry (before the domain
; begins) and run, none in landing.pad.
; CHECK-LABEL: define i32 @wrapper(i32 %x)
; CHECK: entry:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.10)
; CHECK: %landed = call i32 @_setjmp(ptr %pad)
; CHECK: run:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.11)
; CHECK: %v = call i32 @body(i32 %x)
; CHECK: landing.pad:
; CHECK-NEXT: ret i32 -1
define i32 @wrapper(i32 %x) "akeso-domain-wrapper" "akeso-instrumented" {
entry:
  %pad = call ptr @__akeso_domain_begin(i32 0, ptr @desc)
  %landed = call i32 @_setjmp(ptr %pad) returns_twice
  %c = icmp ne i32 %landed, 0
  br i1 %c, label %landing.pad, label %run
run:
  %v = call i32 @body(i32 %x)
  call void @__akeso_domain_end()
  ret i32 %v
landing.pad:
  ret i32 -1
}

; The same after optimisation, the test inverted and the landing pad a
; branch into the return block other paths share: that block keeps its
; site, the branch (pad.only) gets none.
; CHECK-LABEL: define i32 @optimised_wrapper(i32 %x)
; CHECK: entry:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.13)
; CHECK: run:
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.14)
; CHECK: common.ret:
; CHECK-NEXT: %r = phi
; CHECK: call void @__akeso_inject(ptr @akeso.inject.site.15)
; CHECK: ret i32 %r
; CHECK: pad.only:
; CHECK-NEXT: br label %common.ret
define i32 @optimised_wrapper(i32 %x) "akeso-domain-wrapper" "akeso-instrumented" {
entry:
  %pad = call ptr @__akeso_domain_begin(i32 0, ptr @desc)
  %landed = call i32 @_setjmp(ptr %pad) returns_twice
  %c = icmp eq i32 %landed, 0
  br i1 %c, label %run, label %pad.only
run:
  %v = call i32 @body(i32 %x)
  call void @__akeso_domain_end()
  br label %common.ret
common.ret:
  %r = phi i32 [ %v, %run ], [ -1, %pad.only ]
  ret i32 %r
pad.only:
  br label %common.ret
}
