/*
 * gongkai — 部门预算/决算公开 reports from JSON, as PDF and DOCX.
 *
 * Umbrella header of the public API.  Pipeline and headers:
 *   util.h   buffers, arena, located errors (every stage)
 *   money.h  exact int64 fen amounts and their display
 *   json.h   the JSON document with positions and exact number text
 *   data.h   the report model: ledgers, catalog, and `check`
 *   tmpl.h   XML templates and expressions -> document tree
 *   doc.h    the format-neutral document tree and the text renderer
 *   render.h PDF / DOCX / chart back ends
 */
#ifndef GONGKAI_H
#define GONGKAI_H

#define GK_VERSION "0.1.0"

#include "gongkai/util.h"
#include "gongkai/money.h"
#include "gongkai/json.h"
#include "gongkai/doc.h"

#endif
