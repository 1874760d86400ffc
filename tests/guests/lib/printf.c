// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small printf: %d %i %u %x %X %p %s %c %%, flags '0' and '-', a width,
 * and the length modifiers l, ll, z. Output goes to a buffer or, for
 * printf, straight to the UART while the console lock is held.
 */
#include "guest.h"
#include "test.h"

struct sink {
	char *buf; /* NULL: the UART */
	size_t size;
	size_t len; /* characters produced, as snprintf counts them */
};

static void put(struct sink *s, char c)
{
	if (s->buf == NULL)
		uart_putc(c);
	else if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

struct spec {
	bool zero;
	bool left;
	int width;
};

static void put_str(struct sink *s, const struct spec *sp, const char *str, size_t n)
{
	int fill = sp->width - (int)n;

	if (!sp->left)
		pad(s, sp->zero ? '0' : ' ', fill);
	while (n--)
		put(s, *str++);
	if (sp->left)
		pad(s, ' ', fill);
}

static void put_num(struct sink *s, const struct spec *sp, uint64_t v, unsigned int base, bool neg,
		    bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	struct spec num = *sp;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (neg) {
		if (sp->zero && !sp->left) {
			put(s, '-'); /* "-0042": sign before the zeros */
			num.width--;
		} else {
			tmp[sizeof(tmp) - 1 - n++] = '-';
		}
	}
	put_str(s, &num, &tmp[sizeof(tmp) - n], (size_t)n);
}

static const char *parse_spec(const char *f, struct spec *sp, int *lng)
{
	*sp = (struct spec){ 0 };
	*lng = 0;
	for (;; f++) {
		if (*f == '0')
			sp->zero = true;
		else if (*f == '-')
			sp->left = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z') {
		(*lng)++;
		f++;
	}
	return f;
}

static void format(struct sink *s, const char *f, va_list ap)
{
	struct spec sp;
	int lng;

	for (; *f != '\0'; f++) {
		if (*f != '%') {
			put(s, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &lng);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_num(s, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);

			put_num(s, &sp, v, *f == 'u' ? 10 : 16, false, *f == 'X');
			break;
		}
		case 'p':
			put(s, '0');
			put(s, 'x');
			put_num(s, &sp, (uintptr_t)va_arg(ap, void *), 16, false, false);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			str = str ? str : "(null)";
			sp.zero = false;
			put_str(s, &sp, str, strlen(str));
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			sp.zero = false;
			put_str(s, &sp, &c, 1);
			break;
		}
		case '%':
			put(s, '%');
			break;
		case '\0':
			return;
		default: /* unknown: print it as written */
			put(s, '%');
			put(s, *f);
			break;
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size, .len = 0 };

	format(&s, fmt, ap);
	if (size != 0)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
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

int printf(const char *fmt, ...)
{
	struct sink s = { .buf = NULL, .size = 0, .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	console_lock();
	format(&s, fmt, ap);
	console_unlock();
	va_end(ap);
	return (int)s.len;
}

void test_fail(const char *name, const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("TEST %s FAIL %s\n", name, detail);
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}
