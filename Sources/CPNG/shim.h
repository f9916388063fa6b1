#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Whole-image PNG encode and decode helpers. libpng reports errors by longjmp; doing the
 * setjmp here, inside C, keeps the jump from ever crossing Swift frames.
 */

/* A growable output buffer filled by the write callback; free `data` with free(). */
typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
} cairn_png_buffer;

enum {
    /* Cairo's CAIRO_FORMAT_ARGB32: native-endian 32-bit words, premultiplied alpha. */
    CAIRN_PNG_ARGB32_PREMULTIPLIED = 0,
    /* Bytes R, G, B, A with straight alpha. */
    CAIRN_PNG_RGBA = 1,
};

enum {
    CAIRN_PNG_UNIFORM = 1,
    CAIRN_PNG_OPAQUE = 2,
};

#define CAIRN_PNG_ERROR_SIZE 256

static void cairn_png_write_callback(png_structp png, png_bytep bytes, png_size_t length) {
    cairn_png_buffer *buffer = (cairn_png_buffer *)png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity * 2 : 16384;
        while (capacity < buffer->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(buffer->data, capacity);
        if (!grown) png_error(png, "out of memory while growing the PNG output buffer");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void cairn_png_flush_callback(png_structp png) { (void)png; }

static void cairn_png_error_callback(png_structp png, png_const_charp message) {
    char *text = (char *)png_get_error_ptr(png);
    if (text) {
        strncpy(text, message, CAIRN_PNG_ERROR_SIZE - 1);
        text[CAIRN_PNG_ERROR_SIZE - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void cairn_png_warning_callback(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static inline uint32_t cairn_png_load32(const unsigned char *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline unsigned char cairn_png_alpha_of(uint32_t word, int format) {
    if (format == CAIRN_PNG_ARGB32_PREMULTIPLIED) return (unsigned char)(word >> 24);
    unsigned char bytes[4];
    memcpy(bytes, &word, 4);
    return bytes[3];
}

/* Flags CAIRN_PNG_UNIFORM (every pixel equal) and CAIRN_PNG_OPAQUE (every alpha 255). */
static inline int cairn_png_scan(const unsigned char *data, int width, int height, size_t stride, int format) {
    if (width <= 0 || height <= 0) return 0;
    const uint32_t first = cairn_png_load32(data);
    int uniform = 1;
    /* Rows skipped below while still uniform share the first pixel's alpha. */
    int opaque = cairn_png_alpha_of(first, format) == 255;
    for (int y = 0; y < height && (uniform || opaque); y++) {
        const unsigned char *row = data + (size_t)y * stride;
        if (uniform) {
            for (int x = 0; x < width; x++) {
                if (cairn_png_load32(row + 4 * x) != first) { uniform = 0; break; }
            }
            if (uniform) continue; /* the whole row equals the first pixel, so opacity is known */
        }
        if (opaque) {
            for (int x = 0; x < width; x++) {
                if (cairn_png_alpha_of(cairn_png_load32(row + 4 * x), format) != 255) { opaque = 0; break; }
            }
        }
    }
    return (uniform ? CAIRN_PNG_UNIFORM : 0) | (opaque ? CAIRN_PNG_OPAQUE : 0);
}

/* Straight-alpha R, G, B, A of one pixel. */
static inline void cairn_png_straight_rgba(const unsigned char *pixel, int format, unsigned char out[4]) {
    if (format == CAIRN_PNG_RGBA) {
        memcpy(out, pixel, 4);
        return;
    }
    uint32_t word = cairn_png_load32(pixel);
    unsigned a = word >> 24, r = (word >> 16) & 255, g = (word >> 8) & 255, b = word & 255;
    if (a == 0) {
        out[0] = out[1] = out[2] = out[3] = 0;
        return;
    }
    if (a != 255) {
        /* Same rounding as cairo's own PNG writer. */
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
    }
    out[0] = (unsigned char)r;
    out[1] = (unsigned char)g;
    out[2] = (unsigned char)b;
    out[3] = (unsigned char)a;
}

/* Straight-alpha RGBA of a whole image into `out` (width * height * 4 bytes, rows packed). */
static inline void cairn_png_to_rgba(const unsigned char *data, int width, int height, size_t stride, int format,
                                     unsigned char *out) {
    for (int y = 0; y < height; y++) {
        const unsigned char *source = data + (size_t)y * stride;
        unsigned char *target = out + (size_t)y * width * 4;
        if (format == CAIRN_PNG_RGBA) {
            memcpy(target, source, (size_t)width * 4);
            continue;
        }
        for (int x = 0; x < width; x++) cairn_png_straight_rgba(source + 4 * x, format, target + 4 * x);
    }
}

/* Unfiltered PNG scanlines (a 0 filter byte, then the row) of straight-alpha RGB (`channels` 3, every
 * pixel opaque) or RGBA (4), straight from the image: `out` holds height * (1 + width * channels) bytes. */
static inline void cairn_png_unfiltered_scanlines(const unsigned char *data, int width, int height, size_t stride, int format,
                                                  int channels, unsigned char *out) {
    size_t line = 1 + (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) {
        const unsigned char *source = data + (size_t)y * stride;
        unsigned char *target = out + (size_t)y * line;
        *target++ = 0;
        if (channels == 4) {
            for (int x = 0; x < width; x++) cairn_png_straight_rgba(source + 4 * x, format, target + 4 * x);
        } else if (format == CAIRN_PNG_RGBA) {
            for (int x = 0; x < width; x++, source += 4, target += 3) {
                target[0] = source[0];
                target[1] = source[1];
                target[2] = source[2];
            }
        } else {
            /* Opaque premultiplied pixels are their straight colour. */
            for (int x = 0; x < width; x++, source += 4, target += 3) {
                uint32_t word = cairn_png_load32(source);
                target[0] = (unsigned char)(word >> 16);
                target[1] = (unsigned char)(word >> 8);
                target[2] = (unsigned char)word;
            }
        }
    }
}

/* R | G << 8 | B << 16 of a pixel: Cairo's ARGB32 words hold R, G, B in bits 16-23, 8-15, 0-7, and RGBA
 * bytes read as a little-endian word in bits 0-7, 8-15, 16-23. */
static inline uint32_t cairn_png_rgb_of(uint32_t word, int argb) {
    return argb ? __builtin_bswap32(word) >> 8 : (word & 0xFFFFFFu);
}

/* Unfiltered RGB scanlines (a 0 filter byte, then the row) of an image taken to be opaque, in one pass that
 * also finds whether it is: returns CAIRN_PNG_OPAQUE when every alpha is 255 (else it stops at the first row
 * that is not, and `out` is not usable) and CAIRN_PNG_UNIFORM when every pixel (read) is the same. `out` holds height * (1 + width * 3) bytes. Four pixels
 * go out as three words: this pass is a few per cent of a tile's time. */
static inline int cairn_png_rgb_scanlines_of(const unsigned char *data, int width, int height, size_t stride, int argb,
                                             unsigned char *out) {
    const uint32_t first = cairn_png_load32(data);
    uint32_t differ = 0, alpha = 0xFFFFFFFFu;
    size_t line = 1 + (size_t)width * 3;
    for (int y = 0; y < height; y++) {
        const unsigned char *source = data + (size_t)y * stride;
        unsigned char *target = out + (size_t)y * line;
        *target++ = 0;
        int x = 0;
        for (; x + 4 <= width; x += 4, source += 16, target += 12) {
            uint32_t w0 = cairn_png_load32(source), w1 = cairn_png_load32(source + 4);
            uint32_t w2 = cairn_png_load32(source + 8), w3 = cairn_png_load32(source + 12);
            differ |= (w0 ^ first) | (w1 ^ first) | (w2 ^ first) | (w3 ^ first);
            alpha &= w0 & w1 & w2 & w3;
            uint32_t t0 = cairn_png_rgb_of(w0, argb), t1 = cairn_png_rgb_of(w1, argb);
            uint32_t t2 = cairn_png_rgb_of(w2, argb), t3 = cairn_png_rgb_of(w3, argb);
            uint32_t packed[3] = {t0 | t1 << 24, t1 >> 8 | t2 << 16, t2 >> 16 | t3 << 8};
            memcpy(target, packed, 12);
        }
        for (; x < width; x++, source += 4, target += 3) {
            uint32_t word = cairn_png_load32(source);
            differ |= word ^ first;
            alpha &= word;
            uint32_t rgb = cairn_png_rgb_of(word, argb);
            target[0] = (unsigned char)rgb;
            target[1] = (unsigned char)(rgb >> 8);
            target[2] = (unsigned char)(rgb >> 16);
        }
        /* A map with a transparent background (an overlay) finds out on its first row. */
        if ((alpha >> 24) != 255) return differ == 0 ? CAIRN_PNG_UNIFORM : 0;
    }
    return (differ == 0 ? CAIRN_PNG_UNIFORM : 0) | ((alpha >> 24) == 255 ? CAIRN_PNG_OPAQUE : 0);
}

static inline int cairn_png_rgb_scanlines(const unsigned char *data, int width, int height, size_t stride, int format,
                                          unsigned char *out) {
    if (width <= 0 || height <= 0) return 0;
    /* Two copies of the loop, so that the format is a constant in each. */
    if (format == CAIRN_PNG_ARGB32_PREMULTIPLIED) return cairn_png_rgb_scanlines_of(data, width, height, stride, 1, out);
    return cairn_png_rgb_scanlines_of(data, width, height, stride, 0, out);
}

/* libpng with no row filter, or with its adaptive choice among all five. */
static inline int cairn_png_begin_filtered(png_structp *png, png_infop *info, cairn_png_buffer *out, char *error, int level,
                                           int adaptive) {
    *png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error, cairn_png_error_callback, cairn_png_warning_callback);
    if (!*png) return -1;
    *info = png_create_info_struct(*png);
    if (!*info) {
        png_destroy_write_struct(png, NULL);
        return -1;
    }
    png_set_write_fn(*png, out, cairn_png_write_callback, cairn_png_flush_callback);
    png_set_compression_level(*png, level);
    png_set_filter(*png, PNG_FILTER_TYPE_BASE, adaptive ? PNG_ALL_FILTERS : PNG_FILTER_NONE);
    return 0;
}

static inline int cairn_png_begin(png_structp *png, png_infop *info, cairn_png_buffer *out, char *error, int level) {
    *png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error, cairn_png_error_callback, cairn_png_warning_callback);
    if (!*png) return -1;
    *info = png_create_info_struct(*png);
    if (!*info) {
        png_destroy_write_struct(png, NULL);
        return -1;
    }
    png_set_write_fn(*png, out, cairn_png_write_callback, cairn_png_flush_callback);
    png_set_compression_level(*png, level);
    png_set_filter(*png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    return 0;
}

/*
 * Encodes a width x height image as 8-bit RGB (when every pixel is opaque) or RGBA, with no
 * row filter (or libpng's adaptive ones) and the given zlib level. Appends to `out`; returns 0, or -1 with `error` set.
 */
static inline int cairn_png_encode(const unsigned char *data, int width, int height, size_t stride, int format,
                                   int level, int adaptive_filters, cairn_png_buffer *out,
                                   char *error /* CAIRN_PNG_ERROR_SIZE */) {
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile row = NULL;
    const int opaque = (cairn_png_scan(data, width, height, stride, format) & CAIRN_PNG_OPAQUE) != 0;
    if (cairn_png_begin_filtered(&png, &info, out, error, level, adaptive_filters) != 0) {
        strcpy(error, "png_create_write_struct failed");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return -1;
    }
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    row = (unsigned char *)malloc((size_t)width * 4);
    if (!row) png_error(png, "out of memory for a PNG row");
    for (int y = 0; y < height; y++) {
        const unsigned char *source = data + (size_t)y * stride;
        unsigned char *target = row;
        for (int x = 0; x < width; x++) {
            unsigned char rgba[4];
            cairn_png_straight_rgba(source + 4 * x, format, rgba);
            target[0] = rgba[0];
            target[1] = rgba[1];
            target[2] = rgba[2];
            if (opaque) {
                target += 3;
            } else {
                target[3] = rgba[3];
                target += 4;
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return 0;
}

/* A width x height image of one colour: 1-bit palette with one entry (and tRNS when not opaque). */
static inline int cairn_png_encode_uniform(int width, int height, const unsigned char rgba[4], cairn_png_buffer *out,
                                           char *error /* CAIRN_PNG_ERROR_SIZE */) {
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile row = NULL;
    if (cairn_png_begin(&png, &info, out, error, 9) != 0) {
        strcpy(error, "png_create_write_struct failed");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return -1;
    }
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 1, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color entry = {rgba[0], rgba[1], rgba[2]};
    png_set_PLTE(png, info, &entry, 1);
    if (rgba[3] != 255) {
        png_byte alpha = rgba[3];
        png_set_tRNS(png, info, &alpha, 1, NULL);
    }
    png_write_info(png, info);
    row = (unsigned char *)calloc((size_t)(width + 7) / 8, 1);
    if (!row) png_error(png, "out of memory for a PNG row");
    for (int y = 0; y < height; y++) png_write_row(png, row);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return 0;
}

/*
 * Decodes any PNG into 8-bit straight RGBA with libpng's simplified API (no setjmp needed).
 * On success *pixels is malloc'ed (free with free()); returns 0, or -1 with `error` set.
 */
static inline int cairn_png_decode_rgba(const unsigned char *bytes, size_t size, unsigned char **pixels,
                                        int *width, int *height, char *error /* CAIRN_PNG_ERROR_SIZE */) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    *pixels = NULL;
    if (!png_image_begin_read_from_memory(&image, bytes, size)) {
        strncpy(error, image.message, CAIRN_PNG_ERROR_SIZE - 1);
        error[CAIRN_PNG_ERROR_SIZE - 1] = 0;
        return -1;
    }
    image.format = PNG_FORMAT_RGBA;
    unsigned char *buffer = (unsigned char *)malloc(PNG_IMAGE_SIZE(image));
    if (!buffer) {
        png_image_free(&image);
        strcpy(error, "out of memory for the decoded image");
        return -1;
    }
    if (!png_image_finish_read(&image, NULL, buffer, 0, NULL)) {
        strncpy(error, image.message, CAIRN_PNG_ERROR_SIZE - 1);
        error[CAIRN_PNG_ERROR_SIZE - 1] = 0;
        free(buffer);
        png_image_free(&image);
        return -1;
    }
    *pixels = buffer;
    *width = (int)image.width;
    *height = (int)image.height;
    return 0;
}
