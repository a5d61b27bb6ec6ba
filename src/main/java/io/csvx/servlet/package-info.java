/// What the API (`http`) and the browser pages (`web`) share of the servlet API: reading one part
/// of a multipart form, spooled to disk under a size limit. Knows no feature and no route; the
/// features may not use it (they know nothing of HTTP).
package io.csvx.servlet;
