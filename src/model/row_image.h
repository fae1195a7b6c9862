// RowImage: one row image, a Value per table column (Absent for columns the image lacks).
#pragma once

#include <vector>

#include "model/value.h"

namespace cdc::model {

struct RowImage {
    std::vector<Value> values;
};

}  // namespace cdc::model
