// clang with the plugin and -mllvm -akeso-inject compiles a fault site into
// every block of instrumented code (only the IR is checked: nothing is
// linked).  clang parses -mllvm options before it loads -fpass-plugin
// plugins, so the plugin is loaded with -fplugin= as well, which registers
// its options in time (docs/usage.md, "Fault injection (compile time)").
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/domains.yaml -fplugin=%plugin -mllvm -akeso-inject -O2 -g -S -emit-llvm %s -o - | FileCheck %s
// RUN: env AKESO_ANNOTATIONS=%S/Inputs/domains.yaml %clang -Wno-backend-plugin -fplugin=%plugin -fpass-plugin=%plugin -I%akeso-include -mllvm -akeso-inject -O0 -g -S -emit-llvm %s -o - | FileCheck %s
// Without -fplugin, clang does not know the option yet.
// RUN: %not %clang -fpass-plugin=%plugin -mllvm -akeso-inject -S -emit-llvm %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOLOAD
// Without -akeso-inject nothing of it is compiled in.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/domains.yaml -fplugin=%plugin -O2 -g -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OFF

// NOLOAD: Unknown command line argument '-akeso-inject'

// OFF-NOT: call void @__akeso_inject
// OFF-NOT: akeso.inject.site
// OFF-NOT: akeso-inject-sites

// CHECK-NOT: akeso.inject.block
// CHECK-DAG: private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}inject-clang.c\00"

long table[16];

int handle_request(int k, long v) {
  if (k < 0 || k >= 16)
    return -2;
  // The block of the store names its line (and this file).
  // CHECK-DAG: @akeso.inject.site{{[.0-9]*}} = private constant { ptr, ptr, i32, i32 } { ptr @{{[a-z0-9._]+}}, ptr @{{[a-z0-9._]+}}, i32 [[#@LINE+1]], i32 {{[0-9]+}} }
  table[k] = v;
  return 0;
}

// Every instrumented function, in a domain or not.
// CHECK-LABEL: define {{.*}}i64 @helper(
// CHECK-SAME: #[[HATTR:[0-9]+]]
// CHECK: call void @__akeso_inject(ptr @akeso.inject.site
long helper(int k) { return table[k & 15]; }

// The wrapper (the optimiser may inline the body into it) has sites, the
// countdown at offset 8 of the thread state.
// CHECK-LABEL: define {{.*}}i32 @handle_request(
// CHECK-SAME: #[[WATTR:[0-9]+]]
// CHECK: [[STATE:%[0-9a-z.]+]] = load ptr, ptr @__akeso_thread
// CHECK: getelementptr inbounds i8, ptr [[STATE]], i64 8
// CHECK: call void @__akeso_inject(ptr @akeso.inject.site

// CHECK-DAG: attributes #[[HATTR]] = { {{.*}}"akeso-inject-sites"
// CHECK-DAG: attributes #[[WATTR]] = { {{.*}}"akeso-domain-wrapper" "akeso-inject-sites"
