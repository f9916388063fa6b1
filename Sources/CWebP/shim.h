#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/encode.h>

/*
 * Whole-image WebP encode and decode. Every libwebp object (config, picture, writer) lives and dies
 * inside one call, so nothing of libwebp outlives it or crosses threads.
 */

#define CAIRN_WEBP_ERROR_SIZE 256

/*
 * Encodes straight-alpha RGBA rows (`stride` bytes apart) as WebP, lossless or lossy at `quality`
 * (0-100), with libwebp's speed/size trade-off `method` (0 fastest - 6 smallest). On success *out is
 * malloc'ed (free with free()) and 0 is returned; otherwise -1 with `error` set.
 */
static inline int cairn_webp_encode(const uint8_t *rgba, int width, int height, int stride, int lossless,
                                    float quality, int method, uint8_t **out, size_t *size,
                                    char *error /* CAIRN_WEBP_ERROR_SIZE */) {
    WebPConfig config;
    WebPPicture picture;
    WebPMemoryWriter writer;
    *out = NULL;
    *size = 0;
    if (!WebPConfigInit(&config) || !WebPPictureInit(&picture)) {
        strcpy(error, "libwebp version mismatch");
        return -1;
    }
    config.lossless = lossless ? 1 : 0;
    config.quality = quality;
    config.method = method;
    /* Keep the colour under fully transparent pixels as given (zero), for byte-stable output. */
    config.exact = 0;
    if (!WebPValidateConfig(&config)) {
        strcpy(error, "invalid WebP settings");
        return -1;
    }
    picture.use_argb = lossless ? 1 : 0;
    picture.width = width;
    picture.height = height;
    if (!WebPPictureImportRGBA(&picture, rgba, stride)) {
        strcpy(error, "out of memory importing the image");
        WebPPictureFree(&picture);
        return -1;
    }
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const int ok = WebPEncode(&config, &picture);
    const int code = picture.error_code;
    WebPPictureFree(&picture);
    if (!ok) {
        WebPMemoryWriterClear(&writer);
        snprintf(error, CAIRN_WEBP_ERROR_SIZE, "WebPEncode failed with error %d", code);
        return -1;
    }
    *out = writer.mem;
    *size = writer.size;
    return 0;
}

/* Decodes WebP to straight RGBA; *pixels is malloc'ed by libwebp (free with WebPFree). */
static inline int cairn_webp_decode_rgba(const uint8_t *bytes, size_t size, uint8_t **pixels, int *width, int *height) {
    *pixels = WebPDecodeRGBA(bytes, size, width, height);
    return *pixels ? 0 : -1;
}

static inline void cairn_webp_free(void *pointer) { WebPFree(pointer); }
