// Methods of the built-in types: str (split join strip replace find count startswith
// endswith upper lower format encode isdigit isalpha isspace ljust rjust zfill index),
// list (append pop insert extend remove index count sort reverse clear copy), dict
// (get keys values items pop setdefault update clear copy), bytes/bytearray (decode,
// append, hex). Looked up by name from per-type constant tables.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

Status format_value(VM* vm, const Value& v, const char* spec, size_t n, Value* out);
Status sort_values(VM* vm, List* l, const Value& key, bool reverse);

namespace {
#define RET(v) do { *out = (v); return Status::Ok; } while (0)
#define SELF_STR Str* s = as<Str>(a.v[0])

// argument i as a str; optional: absent or None gives null
Status str_arg(VM* vm, Args& a, int i, Str** out, bool optional = false) {
  *out = nullptr;
  if (optional && (i >= a.n || a.v[i].tag == T::None)) return Status::Ok;
  if (a.v[i].tag != T::Str) return type_error(vm, MSG("must be str, not %t"), &a.v[i]);
  *out = as<Str>(a.v[i]);
  return Status::Ok;
}
Status int_arg(VM* vm, Args& a, int i, int64_t* out, int64_t dflt) {
  *out = dflt;
  return i < a.n ? arg_int(vm, a, i, out) : Status::Ok;
}
inline bool is_ws(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

Status s_split(VM* vm, Args& a, Value* out) {
  SELF_STR;
  int64_t maxsplit;
  Str* sep;
  Status st = int_arg(vm, a, 2, &maxsplit, -1);
  if (st == Status::Ok) st = str_arg(vm, a, 1, &sep, true);
  if (st != Status::Ok) return st;
  if (sep && sep->len == 0) return raise_msg(vm, Exc::ValueError, MSG("empty separator"));
  List* l = list_new(vm, 0);
  if (!l) return Status::Memory;
  *out = mk_obj(l);
  push_root(vm, *out);
  uint32_t i = 0, n = s->len;
  const char* d = s->data;
  for (int64_t splits = 0; st == Status::Ok; splits++) {
    bool last = maxsplit >= 0 && splits >= maxsplit;
    uint32_t e;
    if (!sep) {
      while (i < n && is_ws(d[i])) i++;
      if (i >= n) break;
      e = i;
      if (last) {
        e = n;
        while (e > i && is_ws(d[e - 1])) e--;
      } else {
        while (e < n && !is_ws(d[e])) e++;
      }
    } else {
      int64_t k = last ? -1 : find_in(s, sep, i);
      e = k < 0 ? n : static_cast<uint32_t>(k);
    }
    Str* piece = str_new(vm, d + i, e - i);
    st = piece ? list_append(vm, l, mk_obj(piece)) : Status::Memory;
    if (sep && e == n) break;
    i = sep ? e + sep->len : e;
  }
  pop_roots(vm, 1);
  return st;
}

Status s_join(VM* vm, Args& a, Value* out) {
  SELF_STR;
  Value* items;
  uint32_t n;
  Value holder = mk_none();
  Status st = seq_items(vm, a.v[1], &items, &n, &holder);
  if (st != Status::Ok) return st;
  size_t mark = vm->scratch.len;
  bool ok = true;
  for (uint32_t i = 0; i < n && ok; i++) {
    if (items[i].tag != T::Str) {
      vm->scratch.len = mark;
      return type_error(vm, MSG("sequence item %d: expected str instance, %t found"), static_cast<int>(i), &items[i]);
    }
    ok = (!i || sb_add(vm, s->data, s->len)) && sb_add(vm, as<Str>(items[i])->data, as<Str>(items[i])->len);
  }
  return sb_done(vm, mark, ok, out);
}

// strip (3), lstrip (1), rstrip (2)
Status strip_impl(VM* vm, Args& a, Value* out, int sides) {
  SELF_STR;
  Str* chars;
  Status st = str_arg(vm, a, 1, &chars, true);
  if (st != Status::Ok) return st;
  auto strip_c = [&](char c) {
    if (!chars) return is_ws(c);
    for (uint32_t k = 0; k < chars->len; k++) if (chars->data[k] == c) return true;
    return false;
  };
  uint32_t i = 0, j = s->len;
  if (sides & 1) while (i < j && strip_c(s->data[i])) i++;
  if (sides & 2) while (j > i && strip_c(s->data[j - 1])) j--;
  return ret_obj(out, str_new(vm, s->data + i, j - i));
}
Status s_strip(VM* vm, Args& a, Value* out) { return strip_impl(vm, a, out, 3); }
Status s_lstrip(VM* vm, Args& a, Value* out) { return strip_impl(vm, a, out, 1); }
Status s_rstrip(VM* vm, Args& a, Value* out) { return strip_impl(vm, a, out, 2); }

Status s_replace(VM* vm, Args& a, Value* out) {
  SELF_STR;
  Str *o, *n;
  int64_t count;
  Status st = str_arg(vm, a, 1, &o);
  if (st == Status::Ok) st = str_arg(vm, a, 2, &n);
  if (st == Status::Ok) st = int_arg(vm, a, 3, &count, -1);
  if (st != Status::Ok) return st;
  size_t mark = vm->scratch.len;
  uint32_t i = 0;
  bool ok = true;
  for (int64_t done = 0; ok; done++) {
    bool more = count < 0 || done < count;
    if (o->len == 0) {
      // insert `n` before every character and at the end, up to count times
      if (more) ok = sb_add(vm, n->data, n->len);
      if (i >= s->len) break;
      ok = ok && sb_addc(vm, s->data[i++]);
      continue;
    }
    int64_t k = more ? find_in(s, o, i) : -1;
    if (k < 0) { ok = sb_add(vm, s->data + i, s->len - i); break; }
    ok = sb_add(vm, s->data + i, k - i) && sb_add(vm, n->data, n->len);
    i = static_cast<uint32_t>(k + o->len);
  }
  return sb_done(vm, mark, ok, out);
}

// find (0), index (1), count (2)
Status s_find_impl(VM* vm, Args& a, Value* out, int mode) {
  SELF_STR;
  Str* n;
  int64_t from;
  Status st = str_arg(vm, a, 1, &n);
  if (st == Status::Ok) st = int_arg(vm, a, 2, &from, 0);
  if (st != Status::Ok) return st;
  if (mode == 2) {
    if (n->len == 0) RET(mk_int(s->len + 1));
    int64_t c = 0, i = 0;
    while ((i = find_in(s, n, i)) >= 0) { c++; i += n->len; }
    RET(mk_int(c));
  }
  if (from < 0) from += s->len;
  int64_t k = find_in(s, n, from);
  if (k < 0 && mode) return raise_msg(vm, Exc::ValueError, MSG("substring not found"));
  RET(mk_int(k));
}
Status s_find(VM* vm, Args& a, Value* out) { return s_find_impl(vm, a, out, 0); }
Status s_index(VM* vm, Args& a, Value* out) { return s_find_impl(vm, a, out, 1); }
Status s_count(VM* vm, Args& a, Value* out) { return s_find_impl(vm, a, out, 2); }

Status affix(VM* vm, Args& a, Value* out, bool start) {
  SELF_STR;
  const Value* cands = &a.v[1];
  uint32_t n = 1;
  if (cands->tag == T::Tuple) n = seq_view(a.v[1], const_cast<Value**>(&cands));
  for (uint32_t i = 0; i < n; i++) {
    if (cands[i].tag != T::Str)
      return type_error(vm, MSG("%s first arg must be str or a tuple of str, not %t"), start ? "startswith" : "endswith", &cands[i]);
    Str* p = as<Str>(cands[i]);
    if (p->len <= s->len && __builtin_memcmp(start ? s->data : s->data + s->len - p->len, p->data, p->len) == 0)
      return ret_bool(out, true);
  }
  return ret_bool(out, false);
}
Status s_startswith(VM* vm, Args& a, Value* out) { return affix(vm, a, out, true); }
Status s_endswith(VM* vm, Args& a, Value* out) { return affix(vm, a, out, false); }

Status s_case(VM* vm, Args& a, Value* out, bool upper) {
  SELF_STR;
  size_t mark = vm->scratch.len;
  bool ok = sb_add(vm, s->data, s->len);
  if (ok) {
    char* p = vm->scratch.buf + mark;
    for (uint32_t i = 0; i < s->len; i++) {
      char c = p[i] | 0x20;
      if (c >= 'a' && c <= 'z') p[i] = upper ? (c & ~0x20) : c;
    }
  }
  return sb_done(vm, mark, ok, out);
}
Status s_upper(VM* vm, Args& a, Value* out) { return s_case(vm, a, out, true); }
Status s_lower(VM* vm, Args& a, Value* out) { return s_case(vm, a, out, false); }

Status s_is(VM*, Args& a, Value* out, int kind) {
  SELF_STR;
  bool ok = s->len != 0;
  for (uint32_t i = 0; i < s->len && ok; i++) {
    char c = s->data[i];
    ok = kind == 0 ? (c >= '0' && c <= '9') : kind == 1 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') : is_ws(c);
  }
  return ret_bool(out, ok);
}
Status s_isdigit(VM* vm, Args& a, Value* out) { return s_is(vm, a, out, 0); }
Status s_isalpha(VM* vm, Args& a, Value* out) { return s_is(vm, a, out, 1); }
Status s_isspace(VM* vm, Args& a, Value* out) { return s_is(vm, a, out, 2); }

// ljust (0), rjust (1), center (2), zfill (3)
Status s_just(VM* vm, Args& a, Value* out, int kind) {
  SELF_STR;
  int64_t w;
  Str* f;
  Status st = arg_int(vm, a, 1, &w);
  f = nullptr;
  if (st == Status::Ok && a.n > 2) st = str_arg(vm, a, 2, &f);
  if (st != Status::Ok) return st;
  char fill = kind == 3 ? '0' : ' ';
  if (f) {
    if (f->len != 1) return type_error(vm, MSG("The fill character must be exactly one character long"));
    fill = f->data[0];
  }
  if (w > 100000) w = 100000;
  int64_t padn = w > s->len ? w - s->len : 0;
  int64_t left = kind == 0 ? 0 : kind == 1 || kind == 3 ? padn : padn / 2 + (padn & w & 1);
  size_t mark = vm->scratch.len;
  bool ok = true;
  uint32_t start = 0;
  if (kind == 3 && s->len && (s->data[0] == '-' || s->data[0] == '+')) { ok = sb_addc(vm, s->data[0]); start = 1; }
  for (int64_t i = 0; i < padn && ok; i++) {
    if (i == left) ok = sb_add(vm, s->data + start, s->len - start);
    ok = ok && sb_addc(vm, fill);
  }
  if (left == padn) ok = ok && sb_add(vm, s->data + start, s->len - start);
  return sb_done(vm, mark, ok, out);
}
Status s_ljust(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 0); }
Status s_rjust(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 1); }
Status s_center(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 2); }
Status s_zfill(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 3); }

Status s_encode(VM* vm, Args& a, Value* out) {
  SELF_STR;
  return ret_obj(out, bytes_new(vm, s->data, s->len));
}

// str.format: {} {0} {name} with optional !r/!s and :spec
Status s_format(VM* vm, Args& a, Value* out) {
  SELF_STR;
  const char* d = s->data;
  uint32_t n = s->len;
  size_t mark = vm->scratch.len;
  int auto_idx = 0;
  Status st = Status::Ok;
  bool ok = true;
  for (uint32_t i = 0; i < n && st == Status::Ok && ok; i++) {
    char c = d[i];
    if ((c == '{' || c == '}') && i + 1 < n && d[i + 1] == c) { i++; ok = sb_addc(vm, c); continue; }
    if (c == '}') { st = raise_msg(vm, Exc::ValueError, MSG("Single '}' encountered in format string")); break; }
    if (c != '{') { ok = sb_addc(vm, c); continue; }
    uint32_t j = i + 1;
    while (j < n && d[j] != '}' && d[j] != '!' && d[j] != ':') j++;
    const Value* v = nullptr;
    uint32_t nlen = j - i - 1;
    bool digits = nlen > 0;
    int idx = 0;
    for (uint32_t k = i + 1; k < j; k++) {
      if (d[k] < '0' || d[k] > '9') digits = false;
      else if (idx < 100000) idx = idx * 10 + (d[k] - '0');
    }
    if (!nlen || digits) {
      if (!nlen) idx = auto_idx++;
      if (1 + idx >= a.n) { st = raise_msg(vm, Exc::IndexError, MSG("Replacement index %d out of range for positional args tuple"), idx); break; }
      v = &a.v[1 + idx];
    } else {
      for (int k = 0; k < a.nkw; k++) {
        Str* kn = as<Str>(a.kwn[k]);
        if (kn->len == nlen && __builtin_memcmp(kn->data, d + i + 1, nlen) == 0) v = &a.kwv[k];
      }
      if (!v) {
        Value key;
        st = ret_obj(&key, str_new(vm, d + i + 1, nlen));
        if (st == Status::Ok) st = raise(vm, Exc::KeyError, "%r", &key);
        break;
      }
    }
    bool conv_r = false;
    if (j < n && d[j] == '!') { conv_r = j + 1 < n && d[j + 1] == 'r'; j += 2; }
    uint32_t spec_st = j;
    if (j < n && d[j] == ':') { spec_st = ++j; while (j < n && d[j] != '}') j++; }
    if (j >= n || d[j] != '}') { st = raise_msg(vm, Exc::ValueError, MSG("expected '}' before end of string")); break; }
    Value x = *v, spec, piece;
    if (conv_r) st = to_repr(vm, x, &x);
    if (st == Status::Ok) st = ret_obj(&spec, str_new(vm, d + spec_st, j > spec_st ? j - spec_st : 0));
    if (st == Status::Ok) {
      size_t m2 = vm->scratch.len;
      st = format_value(vm, x, as<Str>(spec)->data, as<Str>(spec)->len, &piece);
      vm->scratch.len = m2;
      if (st == Status::Ok) ok = sb_add(vm, as<Str>(piece)->data, as<Str>(piece)->len);
    }
    i = j;
  }
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  return sb_done(vm, mark, ok, out);
}

// ---- list ----
#define SELF_LIST List* l = as<List>(a.v[0])
void list_remove_at(List* l, uint32_t i) {
  copy_vals(l->items + i, l->items + i + 1, l->len - i - 1);
  l->len--;
}
Status l_append(VM* vm, Args& a, Value*) {
  SELF_LIST;
  return list_append(vm, l, a.v[1]);
}
Status l_pop(VM* vm, Args& a, Value* out) {
  SELF_LIST;
  if (l->len == 0) return raise_msg(vm, Exc::IndexError, MSG("pop from empty list"));
  int64_t i;
  Status st = int_arg(vm, a, 1, &i, l->len - 1);
  if (st != Status::Ok) return st;
  if (i < 0) i += l->len;
  if (i < 0 || i >= l->len) return raise_msg(vm, Exc::IndexError, MSG("pop index out of range"));
  *out = l->items[i];
  list_remove_at(l, static_cast<uint32_t>(i));
  return Status::Ok;
}
Status l_insert(VM* vm, Args& a, Value*) {
  SELF_LIST;
  int64_t i;
  Status st = arg_int(vm, a, 1, &i);
  if (st != Status::Ok) return st;
  if (i < 0) { i += l->len; if (i < 0) i = 0; }
  if (i > l->len) i = l->len;
  st = list_append(vm, l, a.v[2]);
  if (st == Status::Ok) {
    copy_vals(l->items + i + 1, l->items + i, l->len - 1 - i);
    l->items[i] = a.v[2];
  }
  return st;
}
Status l_extend(VM* vm, Args& a, Value*) {
  Value r;
  return binary_op(vm, OP_IADD, a.v[0], a.v[1], &r);
}
// index (0), remove (1), count (2)
Status l_index_impl(VM* vm, Args& a, Value* out, int mode) {
  SELF_LIST;
  int64_t c = 0;
  for (uint32_t i = 0; i < l->len; i++) {
    Value eq;
    Status st = binary_op(vm, OP_EQ, l->items[i], a.v[1], &eq);
    if (st != Status::Ok) return st;
    if (!truthy(eq)) continue;
    if (mode == 0) RET(mk_int(i));
    if (mode == 1) {
      list_remove_at(l, i);
      return Status::Ok;
    }
    c++;
  }
  if (mode == 2) RET(mk_int(c));
  if (mode == 1) return raise_msg(vm, Exc::ValueError, MSG("list.remove(x): x not in list"));
  return raise_msg(vm, Exc::ValueError, MSG("%r is not in list"), &a.v[1]);
}
Status l_index(VM* vm, Args& a, Value* out) { return l_index_impl(vm, a, out, 0); }
Status l_remove(VM* vm, Args& a, Value* out) { return l_index_impl(vm, a, out, 1); }
Status l_count(VM* vm, Args& a, Value* out) { return l_index_impl(vm, a, out, 2); }
Status l_sort(VM* vm, Args& a, Value*) {
  SELF_LIST;
  Value kw[2];  // key, reverse
  Status st = get_kwargs(vm, a, "sort", "key", "reverse", kw);
  if (st != Status::Ok) return st;
  return sort_values(vm, l, kw[0].tag == T::Undef ? mk_none() : kw[0], truthy(kw[1]));
}
Status l_reverse(VM*, Args& a, Value*) {
  SELF_LIST;
  for (uint32_t i = 0, j = l->len; i + 1 < j; i++, j--) { Value t = l->items[i]; l->items[i] = l->items[j - 1]; l->items[j - 1] = t; }
  return Status::Ok;
}
Status l_clear(VM*, Args& a, Value*) {
  SELF_LIST;
  l->len = 0;
  return Status::Ok;
}
Status l_copy(VM* vm, Args& a, Value* out) {
  Value* items;
  uint32_t n = seq_view(a.v[0], &items);
  Value* dst;
  Status st = new_seq(vm, T::List, n, out, &dst);
  if (st == Status::Ok) copy_vals(dst, items, n);
  return st;
}

// ---- dict ----
#define SELF_DICT Dict* d = as<Dict>(a.v[0])
// get (0), setdefault (1), pop (2)
Status d_lookup(VM* vm, Args& a, Value* out, int mode) {
  SELF_DICT;
  bool found;
  Status st = dict_get_v(vm, d, a.v[1], out, &found);
  if (st != Status::Ok) return st;
  if (found) {
    if (mode == 2) {
      uint32_t h;
      value_hash(vm, a.v[1], &h);
      dict_del(d, a.v[1], h);
    }
    return Status::Ok;
  }
  if (a.n > 2) *out = a.v[2];
  else if (mode == 2) return raise(vm, Exc::KeyError, "%r", &a.v[1]);
  else *out = mk_none();
  return mode == 1 ? dict_set_v(vm, d, a.v[1], *out) : Status::Ok;
}
Status d_get(VM* vm, Args& a, Value* out) { return d_lookup(vm, a, out, 0); }
Status d_setdefault(VM* vm, Args& a, Value* out) { return d_lookup(vm, a, out, 1); }
Status d_pop(VM* vm, Args& a, Value* out) { return d_lookup(vm, a, out, 2); }
Status d_view(VM* vm, Args& a, Value* out, IterKind k) { return ret_obj(out, iter_new(vm, k, a.v[0])); }
Status d_keys(VM* vm, Args& a, Value* out) { return d_view(vm, a, out, IterKind::DictKeys); }
Status d_values(VM* vm, Args& a, Value* out) { return d_view(vm, a, out, IterKind::DictValues); }
Status d_items(VM* vm, Args& a, Value* out) { return d_view(vm, a, out, IterKind::DictItems); }
Status d_update(VM* vm, Args& a, Value*) {
  SELF_DICT;
  Status st = Status::Ok;
  if (a.n > 1) {
    if (a.v[1].tag != T::Dict) return type_error(vm, MSG("update() argument must be a dict"));
    Value r;
    st = binary_op(vm, OP_IADD, a.v[0], a.v[1], &r);
  }
  for (int i = 0; i < a.nkw && st == Status::Ok; i++) st = dict_set_v(vm, d, a.kwn[i], a.kwv[i]);
  return st;
}
Status d_clear(VM* vm, Args& a, Value*) {
  dict_clear(vm, as<Dict>(a.v[0]));
  return Status::Ok;
}
Status d_copy(VM* vm, Args& a, Value* out) {
  Status st = ret_obj(out, dict_new(vm));
  if (st != Status::Ok) return st;
  Value r;
  push_root(vm, *out);
  st = binary_op(vm, OP_IADD, *out, a.v[0], &r);
  pop_roots(vm, 1);
  return st;
}

// ---- bytes / bytearray ----
Status b_decode(VM* vm, Args& a, Value* out) {
  const uint8_t* p;
  uint32_t n = bytes_view(a.v[0], &p);
  return ret_obj(out, str_new(vm, reinterpret_cast<const char*>(p), n));
}
Status ba_append(VM* vm, Args& a, Value*) {
  ByteArray* b = as<ByteArray>(a.v[0]);
  int64_t v;
  Status st = arg_int(vm, a, 1, &v);
  if (st != Status::Ok) return st;
  if (v < 0 || v > 255) return raise_msg(vm, Exc::ValueError, MSG("byte must be in range(0, 256)"));
  if (b->len == b->cap) {
    uint32_t nc = b->cap < 8 ? 8 : b->cap * 2;
    uint8_t* nd = static_cast<uint8_t*>(raw_alloc(vm, nc));
    if (!nd) return Status::Memory;
    if (b->len) __builtin_memcpy(nd, b->data, b->len);
    heap_free(vm->heap, b->data);
    b->data = nd;
    b->cap = nc;
  }
  b->data[b->len++] = static_cast<uint8_t>(v);
  return Status::Ok;
}
Status b_hexm(VM* vm, Args& a, Value* out) {
  const uint8_t* p;
  uint32_t n = bytes_view(a.v[0], &p);
  size_t mark = vm->scratch.len;
  bool ok = true;
  for (uint32_t i = 0; i < n && ok; i++) ok = sb_addc(vm, kHexDigits[p[i] >> 4]) && sb_addc(vm, kHexDigits[p[i] & 15]);
  return sb_done(vm, mark, ok, out);
}

const NativeDef kStrMethods[] = {
  {"split", s_split, 1, 3, 0, 0}, {"join", s_join, 2, 2, 0, 0}, {"strip", s_strip, 1, 2, 0, 0},
  {"lstrip", s_lstrip, 1, 2, 0, 0}, {"rstrip", s_rstrip, 1, 2, 0, 0}, {"replace", s_replace, 3, 4, 0, 0},
  {"find", s_find, 2, 3, 0, 0}, {"index", s_index, 2, 3, 0, 0}, {"count", s_count, 2, 2, 0, 0},
  {"startswith", s_startswith, 2, 2, 0, 0}, {"endswith", s_endswith, 2, 2, 0, 0},
  {"upper", s_upper, 1, 1, 0, 0}, {"lower", s_lower, 1, 1, 0, 0}, {"format", s_format, 1, -1, 0, 1},
  {"encode", s_encode, 1, 3, 0, 0}, {"isdigit", s_isdigit, 1, 1, 0, 0}, {"isalpha", s_isalpha, 1, 1, 0, 0},
  {"isspace", s_isspace, 1, 1, 0, 0}, {"ljust", s_ljust, 2, 3, 0, 0}, {"rjust", s_rjust, 2, 3, 0, 0},
  {"center", s_center, 2, 3, 0, 0}, {"zfill", s_zfill, 2, 2, 0, 0},
};
const NativeDef kListMethods[] = {
  {"append", l_append, 2, 2, 0, 0}, {"pop", l_pop, 1, 2, 0, 0}, {"insert", l_insert, 3, 3, 0, 0},
  {"extend", l_extend, 2, 2, 0, 0}, {"remove", l_remove, 2, 2, 0, 0}, {"index", l_index, 2, 2, 0, 0},
  {"count", l_count, 2, 2, 0, 0}, {"sort", l_sort, 1, 1, 0, 1}, {"reverse", l_reverse, 1, 1, 0, 0},
  {"clear", l_clear, 1, 1, 0, 0}, {"copy", l_copy, 1, 1, 0, 0},
};
const NativeDef kDictMethods[] = {
  {"get", d_get, 2, 3, 0, 0}, {"keys", d_keys, 1, 1, 0, 0}, {"values", d_values, 1, 1, 0, 0},
  {"items", d_items, 1, 1, 0, 0}, {"pop", d_pop, 2, 3, 0, 0}, {"setdefault", d_setdefault, 2, 3, 0, 0},
  {"update", d_update, 1, 2, 0, 1}, {"clear", d_clear, 1, 1, 0, 0}, {"copy", d_copy, 1, 1, 0, 0},
};
const NativeDef kBytesMethods[] = {
  {"decode", b_decode, 1, 3, 0, 0}, {"hex", b_hexm, 1, 1, 0, 0}, {"append", ba_append, 2, 2, 0, 0},
};

struct MethodTable { T type; uint8_t n; const NativeDef* defs; };
const MethodTable kMethodTables[] = {
  {T::Str, sizeof(kStrMethods) / sizeof(NativeDef), kStrMethods},
  {T::List, sizeof(kListMethods) / sizeof(NativeDef), kListMethods},
  {T::Dict, sizeof(kDictMethods) / sizeof(NativeDef), kDictMethods},
  {T::Bytes, 2, kBytesMethods},
  {T::ByteArray, 3, kBytesMethods},
};
}  // namespace

const NativeDef* find_method(T type, Str* name) {
  for (const MethodTable& t : kMethodTables) {
    if (t.type != type) continue;
    for (uint32_t i = 0; i < t.n; i++)
      if (__builtin_strcmp(t.defs[i].name, name->data) == 0) return &t.defs[i];
  }
  return nullptr;
}

// Stable merge sort; key and comparisons may run script code, so the keys live in a
// rooted list and errors abort the sort leaving the items permuted but intact.
Status sort_values(VM* vm, List* lst, const Value& key, bool reverse) {
  uint32_t n = lst->len;
  if (n < 2) return Status::Ok;
  // sort a snapshot: key functions and __lt__ may run script code that touches the list
  Value snapv;
  Value* items;
  Status st = new_seq(vm, T::Tuple, n, &snapv, &items);
  if (st != Status::Ok) return st;
  copy_vals(items, lst->items, n);
  push_root(vm, snapv);
  Value keysv;
  Value* keys;
  st = new_seq(vm, T::Tuple, n, &keysv, &keys);
  if (st == Status::Ok) {
    push_root(vm, keysv);
    for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
      keys[i] = items[i];
      if (key.tag != T::None) st = call_value(vm, key, &items[i], 1, &keys[i]);
    }
    // sort an index permutation: binary insertion (stable: after equal keys), so
    // O(n log n) comparisons, which may run script code; the moves are memmoves
    uint32_t* idx = st == Status::Ok ? static_cast<uint32_t*>(raw_alloc(vm, n * sizeof(uint32_t))) : nullptr;
    if (st == Status::Ok && !idx) st = Status::Memory;
    if (st == Status::Ok) {
      for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
        uint32_t lo = 0, hi = i;
        while (lo < hi && st == Status::Ok) {
          uint32_t mid = (lo + hi) / 2;
          bool lt = false;  // keys[i] sorts before keys[idx[mid]]
          st = reverse ? compare_lt(vm, keys[idx[mid]], keys[i], &lt) : compare_lt(vm, keys[i], keys[idx[mid]], &lt);
          if (lt) hi = mid;
          else lo = mid + 1;
        }
        __builtin_memmove(idx + lo + 1, idx + lo, (i - lo) * sizeof(uint32_t));
        idx[lo] = i;
      }
      if (st == Status::Ok) {
        if (lst->len != n) st = raise_msg(vm, Exc::ValueError, MSG("list modified during sort"));
        else for (uint32_t i = 0; i < n; i++) lst->items[i] = items[idx[i]];
      }
      raw_free(vm, idx);
    }
    pop_roots(vm, 1);
  }
  pop_roots(vm, 1);
  return st;
}

}  // namespace hilsim::vm
