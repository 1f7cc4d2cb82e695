/* hgc_descriptors.h: the FileDescriptorSet of every .proto the service
 * speaks (with imports and source info), embedded at build time. Parse it
 * with google__protobuf__file_descriptor_set__unpack
 * ("google/protobuf/descriptor.pb-c.h"). */
#ifndef HGC_DESCRIPTORS_H
#define HGC_DESCRIPTORS_H

#include <stddef.h>

extern const unsigned char hgc_descriptor_set[];
extern const size_t hgc_descriptor_set_len;

#endif
