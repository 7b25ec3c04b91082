// The --models validation: model-throughput.csv rows are checked where they are read, zoo rows run,
// NAME.onnx rows without their file are listed as not run, and the errors are as stated.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "sim/input/catalog_io.hpp"
#include "sim/util/files.hpp"
#include "sim/validation/models.hpp"

using namespace trainsim;

namespace {

const char* kHeader = "source,model,published_model,gpu,precision,memory_format,optimizer,batch,image_px,data,images_per_s\n";

// Writes `rows` under the header to a file of its own; removed when the test case ends.
struct CsvFile {
  std::string path;
  explicit CsvFile(const std::string& rows)
      : path("/tmp/trainsim-test-models-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + ".csv") {
    write_text_file_atomic(path, std::string("# a comment line\n") + kHeader + rows);
  }
  ~CsvFile() { std::remove(path.c_str()); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

InputError error_of(const std::string& rows) {
  const CsvFile f(rows);
  try {
    (void)io::load_model_throughput(f.path, io::default_catalog());
  } catch (const InputError& e) {
    return e;
  }
  FAIL("no error");
  return InputError({}, "", "", "");
}

}  // namespace

TEST_CASE("model-throughput rows: zoo rows run, ONNX rows without a folder are not run") {
  const CsvFile f(
      "timm,resnet50,resnet50,rtx3090,amp,nhwc,sgd,256,224,synthetic,1218\n"
      "timm,hrnet-w18,hrnet_w18,rtx3090,amp,nchw,sgd,128,224,synthetic,378\n"
      "timm,vit_b_16.onnx,vit_base_patch16_224,rtx3090,amp,nchw,sgd,192,224,synthetic,391\n");
  const auto v = validation::validate_models(f.path, "", io::default_catalog());
  REQUIRE(v.rows.size() == 3);
  CHECK(v.run_rows == 2);
  const auto& r = v.rows[0];
  CHECK(r.run);
  CHECK(r.row.channels_last);
  CHECK(r.row.where.line == 3);  // after the comment and the header
  CHECK(r.params == 25557032);
  CHECK(r.error == (r.predicted - 1218.0) / 1218.0);
  CHECK(v.rows[1].run);
  CHECK_FALSE(v.rows[1].row.channels_last);
  CHECK_FALSE(v.rows[2].run);
  CHECK(v.rows[2].not_run.find("--onnx DIR") != std::string::npos);
  // Two models that ran: each one's factor is fitted on the other's row alone.
  REQUIRE(v.lomo.rows.size() == 2);
  CHECK(v.lomo.rows[0].factor == Approx(378.0 / v.rows[1].predicted));
  CHECK(v.lomo.rows[1].factor == Approx(1218.0 / v.rows[0].predicted));
}

TEST_CASE("a missing ONNX file is named in the not-run reason") {
  const CsvFile f("timm,convnext_tiny.onnx,convnext_tiny,rtx3090,amp,nchw,sgd,256,224,synthetic,813\n");
  const auto v = validation::validate_models(f.path, "/nonexistent-folder", io::default_catalog());
  REQUIRE(v.rows.size() == 1);
  CHECK_FALSE(v.rows[0].run);
  CHECK(v.rows[0].not_run == "no file /nonexistent-folder/convnext_tiny.onnx");
  CHECK(v.run_rows == 0);
  CHECK(v.median_abs_error == 0);
}

TEST_CASE("bad model-throughput rows name their line and column") {
  SECTION("an unknown GPU") {
    const InputError e = error_of("timm,resnet50,resnet50,rtx3091,amp,nchw,sgd,256,224,synthetic,1218\n");
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 4);
  }
  SECTION("a model spelt the other way") {
    const InputError e = error_of("timm,HRNet_W18,hrnet_w18,rtx3090,amp,nchw,sgd,256,224,synthetic,378\n");
    CHECK(e.key() == "model");
    CHECK(e.expected().find("the zoo's own spelling") != std::string::npos);
  }
  SECTION("an ONNX file with a folder") {
    const InputError e = error_of("timm,models/vit.onnx,vit,rtx3090,amp,nchw,sgd,256,224,synthetic,378\n");
    CHECK(e.where().column == 2);
  }
  SECTION("a throughput that is not a positive number") {
    const InputError e = error_of("timm,resnet50,resnet50,rtx3090,amp,nchw,sgd,256,224,synthetic,0\n");
    CHECK(e.key() == "images_per_s");
    CHECK(e.where().column == 11);
  }
  SECTION("data other than synthetic or real") {
    const InputError e = error_of("timm,resnet50,resnet50,rtx3090,amp,nchw,sgd,256,224,imagenet,1218\n");
    CHECK(e.key() == "data");
  }
  SECTION("a precision the GPU has no tensor cores for names the row") {
    const CsvFile f("timm,resnet50,resnet50,v100-sxm2-16gb,bf16,nchw,sgd,64,224,synthetic,100\n");
    try {
      (void)validation::validate_models(f.path, "", io::default_catalog());
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().file == f.path);
      CHECK(e.where().line == 3);
    }
  }
}
