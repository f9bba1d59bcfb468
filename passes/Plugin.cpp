//===- Plugin.cpp - registers akeso's passes with the new pass manager ----===//
//
// Passes by name, for opt -passes=...:
//   akeso-annotate    annotation file -> domain markers
//   akeso-lower       domain markers  -> wrappers with landing pads
//   akeso-instrument  loads/stores/... -> runtime calls
//   akeso-inject-mark marks every block, before instrumentation splits them
//   akeso-inject      a fault site at the top of every marked block of
//                     instrumented functions (both only with -akeso-inject)
//
// In clang's pipeline (-fpass-plugin) annotation and lowering run first,
// before the inliner could fold an annotated function into its callers, and
// instrumentation runs last, after optimisation has removed what it can.
// With -akeso-inject, instrumentation is bracketed by the two fault-injection
// passes (FaultInjection.cpp says why); without it they are not added.
//
//===----------------------------------------------------------------------===//
#include "DomainAnnotation.h"
#include "DomainLowering.h"
#include "FaultInjection.h"
#include "MemoryInstrumentation.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

using namespace llvm;

static void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "akeso-annotate") {
          MPM.addPass(akeso::DomainAnnotationPass());
          return true;
        }
        if (Name == "akeso-lower") {
          MPM.addPass(akeso::DomainLoweringPass());
          return true;
        }
        if (Name == "akeso-instrument") {
          MPM.addPass(akeso::MemoryInstrumentationPass());
          return true;
        }
        if (Name == "akeso-inject-mark") {
          MPM.addPass(akeso::FaultSiteMarkingPass());
          return true;
        }
        if (Name == "akeso-inject") {
          MPM.addPass(akeso::FaultInjectionPass());
          return true;
        }
        return false;
      });
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(akeso::DomainAnnotationPass());
        MPM.addPass(akeso::DomainLoweringPass());
      });
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        bool Inject = akeso::faultInjectionEnabled();
        if (Inject)
          MPM.addPass(akeso::FaultSiteMarkingPass());
        MPM.addPass(akeso::MemoryInstrumentationPass());
        if (Inject)
          MPM.addPass(akeso::FaultInjectionPass());
      });
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "akeso", "0.1", registerCallbacks};
}
