//===- Diagnostics.cpp - a DiagnosticInfo kind of akeso's own -------------===//
#include "Diagnostics.h"

#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"

using namespace llvm;

namespace akeso {
namespace {

class AkesoDiagnostic : public DiagnosticInfo {
public:
  AkesoDiagnostic(const Twine &Message, DiagnosticSeverity Severity)
      : DiagnosticInfo(kind(), Severity), Message(Message.str()) {}
  void print(DiagnosticPrinter &DP) const override {
    DP << "akeso: " << Message;
  }

private:
  static int kind() {
    static const int Kind = getNextAvailablePluginDiagnosticKind();
    return Kind;
  }
  std::string Message;
};

} // namespace

void emitError(LLVMContext &C, const Twine &Message) {
  C.diagnose(AkesoDiagnostic(Message, DS_Error));
}

void emitWarning(LLVMContext &C, const Twine &Message) {
  C.diagnose(AkesoDiagnostic(Message, DS_Warning));
}

void emitErrors(LLVMContext &C, const std::vector<std::string> &Problems) {
  std::string Message;
  for (const std::string &P : Problems)
    Message += (Message.empty() ? "" : "\n") + P;
  emitError(C, Message);
}

} // namespace akeso
