//===- AnnotationSource.cpp - -akeso-annotations and AKESO_ANNOTATIONS ----===//
#include "AnnotationSource.h"

#include "llvm/Support/CommandLine.h"

#include <cstdlib>

using namespace llvm;

static cl::opt<std::string>
    ClAnnotations("akeso-annotations", cl::value_desc("file"),
                  cl::desc("Recovery-domain annotation file (YAML); the "
                           "environment variable AKESO_ANNOTATIONS is used "
                           "when this is not given"));

namespace akeso {

std::optional<std::string> annotationFilePath() {
  if (!ClAnnotations.empty())
    return ClAnnotations.getValue();
  if (const char *Env = std::getenv("AKESO_ANNOTATIONS"); Env && *Env)
    return std::string(Env);
  return std::nullopt;
}

} // namespace akeso
