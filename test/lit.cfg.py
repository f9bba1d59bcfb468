# lit configuration for akeso's pass and end-to-end tests.
import os
import lit.formats

config.name = "akeso"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".c", ".cpp", ".test"]
config.excludes = ["Inputs", "unit", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.akeso_obj_root, "test")

tools = config.llvm_tools_dir
bindir = os.path.join(config.akeso_obj_root, "bin")
config.substitutions.append(
    ("%opt", "%s/opt -load-pass-plugin=%s" % (tools, config.akeso_plugin)))
config.substitutions.append(("%plugin", config.akeso_plugin))
config.substitutions.append(("%akeso-cc", os.path.join(bindir, "akeso-cc")))
config.substitutions.append(("%akeso-cxx", os.path.join(bindir, "akeso-c++")))
config.substitutions.append(("%clang", config.clang))
config.substitutions.append(("%akeso-include", os.path.join(config.akeso_obj_root, "include")))
config.substitutions.append(("%akeso-build", config.akeso_obj_root))
config.substitutions.append(("%akeso-rt", os.path.join(config.akeso_obj_root, "lib", "libakeso_rt.a")))
config.substitutions.append(("FileCheck", os.path.join(tools, "FileCheck")))
config.substitutions.append(("%not", os.path.join(tools, "not")))

# Runtime options of the user's environment must not change test outcomes.
for var in ["AKESO_OPTIONS", "AKESO_ANNOTATIONS"]:
    config.environment.pop(var, None)

# Tests of AVX-512 code (scatter stores) need a processor that runs it.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        if " avx512f" in cpuinfo.read():
            config.available_features.add("avx512")
except OSError:
    pass

# Python for the example checkers (examples/*/check_*.py), and MiniSat as
# the reference verdicts of the SAT example (test/e2e/example-sat*.test).
import shutil
import sys
config.substitutions.append(("%python", sys.executable))
if shutil.which("minisat"):
    config.available_features.add("minisat")
