// SPDX-License-Identifier: GPL-2.0-only
/*
 * vsnprintf for the hypervisor: %d %i %u %x %X %o %p %s %c %%, flags '-' '0',
 * width, precision for %s, length modifiers hh h l ll z j t. No floating
 * point (EL2 code is built with -mgeneral-regs-only).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters that would have been written */
};

struct spec {
	bool left;
	bool zero;
	int width;
	int precision;
	int length; /* 0 int, 1 long, 2 long long, 3 size_t, -1 short, -2 char */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_padded(struct out *o, const char *s, size_t n, const struct spec *sp, char pad)
{
	size_t w = sp->width > 0 ? (size_t)sp->width : 0;
	size_t fill = w > n ? w - n : 0;

	if (!sp->left) {
		/* A '-' sign goes before zero padding, not after it. */
		if (pad == '0' && n && s[0] == '-') {
			out_char(o, *s++);
			n--;
		}
		while (fill--)
			out_char(o, pad);
		fill = 0;
	}
	while (n--)
		out_char(o, *s++);
	while (fill--)
		out_char(o, ' ');
}

static void out_number(struct out *o, uint64_t v, unsigned int base, bool neg, bool upper,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[--i] = '-';
	out_padded(o, &tmp[i], sizeof(tmp) - (size_t)i, sp, sp->zero && !sp->left ? '0' : ' ');
}

static uint64_t arg_unsigned(va_list *ap, int length)
{
	switch (length) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(va_list *ap, int length)
{
	switch (length) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (int64_t)va_arg(*ap, size_t);
	case -1:
		return (short)va_arg(*ap, int);
	case -2:
		return (signed char)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->precision = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->precision = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->length = sp->length == 1 ? 2 : 1;
		else if (*f == 'h')
			sp->length = sp->length == -1 ? -2 : -1;
		else if (*f == 'z' || *f == 't')
			sp->length = 3;
		else if (*f == 'j')
			sp->length = 2;
		else
			break;
	}
	return f;
}

static void format_one(struct out *o, char conv, const struct spec *sp, va_list *ap)
{
	unsigned int base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
	int64_t sv;
	const char *s;
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		sv = arg_signed(ap, sp->length);
		out_number(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, sv < 0, false, sp);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		out_number(o, arg_unsigned(ap, sp->length), base, false, conv == 'X', sp);
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_number(o, (uintptr_t)va_arg(*ap, void *), 16, false, false, sp);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		out_padded(o, s, sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s),
			   sp, ' ');
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_padded(o, &c, 1, sp, ' ');
		break;
	default:
		out_char(o, '%');
		if (conv)
			out_char(o, conv);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (*fmt == '%') {
			out_char(&o, '%');
		} else {
			format_one(&o, *fmt, &sp, &args);
			if (!*fmt)
				break;
		}
		fmt++;
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
