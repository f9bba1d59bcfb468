//===- AnnotationSource.h - where the annotation file comes from ----------===//
//
// clang rejects -mllvm options of a plugin loaded with -fpass-plugin alone
// (they are parsed before the plugin is loaded), so besides
// -akeso-annotations=FILE (for opt, or clang with -Xclang -load) the file
// can be named by the environment variable AKESO_ANNOTATIONS.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_PASSES_ANNOTATIONSOURCE_H
#define AKESO_PASSES_ANNOTATIONSOURCE_H

#include <optional>
#include <string>

namespace akeso {

// The annotation file to use, or none: the option wins over the variable.
std::optional<std::string> annotationFilePath();

} // namespace akeso

#endif
