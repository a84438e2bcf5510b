// Methods of the built-in types: str (split join strip replace find count startswith
// endswith upper lower format encode isdigit isalpha isspace ljust rjust zfill index),
// list (append pop insert extend remove index count sort reverse clear copy), dict
// (get keys values items pop setdefault update clear copy), bytes/bytearray (decode,
// append, hex). Looked up by name from per-type constant tables.
#include "vm/internal.h"
#include "vm/opcodes.h"

namespace hilsim::vm {

Status format_value(VM* vm, const Value& v, Str* spec, Value* out);
Status sort_values(VM* vm, List* l, const Value& key, bool reverse);

namespace {
#define RET(v) do { *out = (v); return Status::Ok; } while (0)
#define SELF_STR Str* s = as<Str>(a.v[0])

Status ret_str(VM* vm, const char* p, size_t n, Value* out) {
  *out = new_str(vm, p, n);
  return out->tag == T::Undef ? Status::Memory : Status::Ok;
}
Status str_arg(VM* vm, Args& a, int i, Str** out) {
  if (a.v[i].tag != T::Str) return raise(vm, Exc::TypeError, "must be str, not %T", a.v[i]);
  *out = as<Str>(a.v[i]);
  return Status::Ok;
}
inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
int64_t find_in(const Str* h, const Str* n, int64_t from) {
  if (from < 0) from = 0;
  for (int64_t i = from; i + n->len <= h->len; i++)
    if (__builtin_memcmp(h->data + i, n->data, n->len) == 0) return i;
  return -1;
}

Status s_split(VM* vm, Args& a, Value* out) {
  SELF_STR;
  int64_t maxsplit = -1;
  if (a.n > 2) { Status st = arg_int(vm, a, 2, &maxsplit); if (st != Status::Ok) return st; }
  Str* sep = nullptr;
  if (a.n > 1 && a.v[1].tag != T::None) {
    Status st = str_arg(vm, a, 1, &sep);
    if (st != Status::Ok) return st;
    if (sep->len == 0) return raise(vm, Exc::ValueError, "empty separator");
  }
  List* l = list_new(vm, 0);
  if (!l) return Status::Memory;
  *out = mk_obj(l);
  push_root(vm, *out);
  Status st = Status::Ok;
  uint32_t i = 0;
  int64_t splits = 0;
  if (!sep) {
    while (st == Status::Ok) {
      while (i < s->len && is_ws(s->data[i])) i++;
      if (i >= s->len) break;
      uint32_t j = i;
      if (maxsplit >= 0 && splits >= maxsplit) {
        j = s->len;
        while (j > i && is_ws(s->data[j - 1])) j--;
      } else {
        while (j < s->len && !is_ws(s->data[j])) j++;
      }
      Value piece = new_str(vm, s->data + i, j - i);
      if (piece.tag == T::Undef) { st = Status::Memory; break; }
      st = list_append(vm, l, piece);
      splits++;
      i = j;
    }
  } else {
    for (;;) {
      int64_t k = (maxsplit >= 0 && splits >= maxsplit) ? -1 : find_in(s, sep, i);
      uint32_t e = k < 0 ? s->len : static_cast<uint32_t>(k);
      Value piece = new_str(vm, s->data + i, e - i);
      if (piece.tag == T::Undef) { st = Status::Memory; break; }
      st = list_append(vm, l, piece);
      if (st != Status::Ok || k < 0) break;
      i = e + sep->len;
      splits++;
    }
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
  for (uint32_t i = 0; i < n; i++) {
    if (items[i].tag != T::Str) {
      vm->scratch.len = mark;
      return raise(vm, Exc::TypeError, "sequence item %d: expected str instance, %T found", static_cast<int>(i), items[i]);
    }
    if ((i && !sb_add(vm, s->data, s->len)) || !sb_add(vm, as<Str>(items[i])->data, as<Str>(items[i])->len)) {
      vm->scratch.len = mark;
      return Status::Memory;
    }
  }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  RET(mk_obj(r));
}

Status strip_impl(VM* vm, Args& a, Value* out, bool left, bool right) {
  SELF_STR;
  Str* chars = nullptr;
  if (a.n > 1 && a.v[1].tag != T::None) { Status st = str_arg(vm, a, 1, &chars); if (st != Status::Ok) return st; }
  auto strip_c = [&](char c) {
    if (!chars) return is_ws(c);
    for (uint32_t k = 0; k < chars->len; k++) if (chars->data[k] == c) return true;
    return false;
  };
  uint32_t i = 0, j = s->len;
  if (left) while (i < j && strip_c(s->data[i])) i++;
  if (right) while (j > i && strip_c(s->data[j - 1])) j--;
  return ret_str(vm, s->data + i, j - i, out);
}
Status s_strip(VM* vm, Args& a, Value* out) { return strip_impl(vm, a, out, true, true); }
Status s_lstrip(VM* vm, Args& a, Value* out) { return strip_impl(vm, a, out, true, false); }
Status s_rstrip(VM* vm, Args& a, Value* out) { return strip_impl(vm, a, out, false, true); }

Status s_replace(VM* vm, Args& a, Value* out) {
  SELF_STR;
  Str *o = nullptr, *n = nullptr;
  Status st = str_arg(vm, a, 1, &o);
  if (st == Status::Ok) st = str_arg(vm, a, 2, &n);
  if (st != Status::Ok) return st;
  int64_t count = -1;
  if (a.n > 3 && (st = arg_int(vm, a, 3, &count)) != Status::Ok) return st;
  size_t mark = vm->scratch.len;
  uint32_t i = 0;
  int64_t done = 0;
  bool ok = true;
  if (o->len == 0) {
    // insert `n` before every character and at the end, up to count times
    for (; ok && i <= s->len; i++) {
      if (count < 0 || done < count) { ok = sb_add(vm, n->data, n->len); done++; }
      if (i < s->len) ok = ok && sb_addc(vm, s->data[i]);
    }
  } else {
    while (ok) {
      int64_t k = (count >= 0 && done >= count) ? -1 : find_in(s, o, i);
      if (k < 0) { ok = sb_add(vm, s->data + i, s->len - i); break; }
      ok = sb_add(vm, s->data + i, k - i) && sb_add(vm, n->data, n->len);
      done++;
      i = static_cast<uint32_t>(k + o->len);
    }
  }
  if (!ok) { vm->scratch.len = mark; return Status::Memory; }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  RET(mk_obj(r));
}

Status s_find_impl(VM* vm, Args& a, Value* out, bool index) {
  SELF_STR;
  Str* n = nullptr;
  Status st = str_arg(vm, a, 1, &n);
  if (st != Status::Ok) return st;
  int64_t from = 0;
  if (a.n > 2 && (st = arg_int(vm, a, 2, &from)) != Status::Ok) return st;
  if (from < 0) from += s->len;
  int64_t k = find_in(s, n, from);
  if (k < 0 && index) return raise(vm, Exc::ValueError, "substring not found");
  RET(mk_int(k));
}
Status s_find(VM* vm, Args& a, Value* out) { return s_find_impl(vm, a, out, false); }
Status s_index(VM* vm, Args& a, Value* out) { return s_find_impl(vm, a, out, true); }

Status s_count(VM* vm, Args& a, Value* out) {
  SELF_STR;
  Str* n = nullptr;
  Status st = str_arg(vm, a, 1, &n);
  if (st != Status::Ok) return st;
  if (n->len == 0) RET(mk_int(s->len + 1));
  int64_t c = 0, i = 0;
  while ((i = find_in(s, n, i)) >= 0) { c++; i += n->len; }
  RET(mk_int(c));
}

Status affix(VM* vm, Args& a, Value* out, bool start) {
  SELF_STR;
  auto test = [&](Value v, bool* r) -> Status {
    if (v.tag != T::Str) return raise(vm, Exc::TypeError, "%s first arg must be str or a tuple of str, not %T", start ? "startswith" : "endswith", v);
    Str* p = as<Str>(v);
    *r = p->len <= s->len && __builtin_memcmp(start ? s->data : s->data + s->len - p->len, p->data, p->len) == 0;
    return Status::Ok;
  };
  bool r = false;
  if (a.v[1].tag == T::Tuple) {
    for (uint32_t i = 0; i < as<Tuple>(a.v[1])->len && !r; i++) {
      Status st = test(as<Tuple>(a.v[1])->items[i], &r);
      if (st != Status::Ok) return st;
    }
  } else {
    Status st = test(a.v[1], &r);
    if (st != Status::Ok) return st;
  }
  RET(mk_bool(r));
}
Status s_startswith(VM* vm, Args& a, Value* out) { return affix(vm, a, out, true); }
Status s_endswith(VM* vm, Args& a, Value* out) { return affix(vm, a, out, false); }

Status s_case(VM* vm, Args& a, Value* out, bool upper) {
  SELF_STR;
  size_t mark = vm->scratch.len;
  for (uint32_t i = 0; i < s->len; i++) {
    char c = s->data[i];
    if (upper && c >= 'a' && c <= 'z') c -= 32;
    if (!upper && c >= 'A' && c <= 'Z') c += 32;
    if (!sb_addc(vm, c)) { vm->scratch.len = mark; return Status::Memory; }
  }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  RET(mk_obj(r));
}
Status s_upper(VM* vm, Args& a, Value* out) { return s_case(vm, a, out, true); }
Status s_lower(VM* vm, Args& a, Value* out) { return s_case(vm, a, out, false); }

Status s_is(VM*, Args& a, Value* out, int kind) {
  SELF_STR;
  if (s->len == 0) RET(mk_bool(false));
  for (uint32_t i = 0; i < s->len; i++) {
    char c = s->data[i];
    bool ok = kind == 0 ? (c >= '0' && c <= '9') : kind == 1 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') : is_ws(c);
    if (!ok) RET(mk_bool(false));
  }
  RET(mk_bool(true));
}
Status s_isdigit(VM* vm, Args& a, Value* out) { return s_is(vm, a, out, 0); }
Status s_isalpha(VM* vm, Args& a, Value* out) { return s_is(vm, a, out, 1); }
Status s_isspace(VM* vm, Args& a, Value* out) { return s_is(vm, a, out, 2); }

Status s_just(VM* vm, Args& a, Value* out, int kind) {
  SELF_STR;
  int64_t w;
  Status st = arg_int(vm, a, 1, &w);
  if (st != Status::Ok) return st;
  char fill = kind == 3 ? '0' : ' ';
  if (a.n > 2) {
    Str* f = nullptr;
    if ((st = str_arg(vm, a, 2, &f)) != Status::Ok) return st;
    if (f->len != 1) return raise(vm, Exc::TypeError, "The fill character must be exactly one character long");
    fill = f->data[0];
  }
  if (w > 100000) w = 100000;
  int64_t padn = w > s->len ? w - s->len : 0;
  int64_t left = kind == 0 ? 0 : kind == 1 || kind == 3 ? padn : padn / 2 + (padn & w & 1);
  size_t mark = vm->scratch.len;
  bool ok = true;
  uint32_t start = 0;
  if (kind == 3 && s->len && (s->data[0] == '-' || s->data[0] == '+')) { ok = sb_addc(vm, s->data[0]); start = 1; }
  for (int64_t i = 0; i < left && ok; i++) ok = sb_addc(vm, fill);
  ok = ok && sb_add(vm, s->data + start, s->len - start);
  for (int64_t i = left; i < padn && ok; i++) ok = sb_addc(vm, fill);
  if (!ok) { vm->scratch.len = mark; return Status::Memory; }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  RET(mk_obj(r));
}
Status s_ljust(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 0); }
Status s_rjust(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 1); }
Status s_center(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 2); }
Status s_zfill(VM* vm, Args& a, Value* out) { return s_just(vm, a, out, 3); }

Status s_encode(VM* vm, Args& a, Value* out) {
  SELF_STR;
  Str* b = bytes_new(vm, s->data, s->len);
  if (!b) return Status::Memory;
  RET(mk_obj(b));
}

bool all_digits(const char* p, size_t n) {
  for (size_t k = 0; k < n; k++) if (p[k] < '0' || p[k] > '9') return false;
  return n > 0;
}

// str.format: {} {0} {name} with optional !r/!s and :spec
Status s_format(VM* vm, Args& a, Value* out) {
  SELF_STR;
  size_t mark = vm->scratch.len;
  int auto_idx = 0;
  Status st = Status::Ok;
  for (uint32_t i = 0; i < s->len && st == Status::Ok; i++) {
    char c = s->data[i];
    if (c == '{' && i + 1 < s->len && s->data[i + 1] == '{') { i++; if (!sb_addc(vm, '{')) st = Status::Memory; continue; }
    if (c == '}' && i + 1 < s->len && s->data[i + 1] == '}') { i++; if (!sb_addc(vm, '}')) st = Status::Memory; continue; }
    if (c == '}') { st = raise(vm, Exc::ValueError, "Single '}' encountered in format string"); break; }
    if (c != '{') { if (!sb_addc(vm, c)) st = Status::Memory; continue; }
    uint32_t j = i + 1;
    while (j < s->len && s->data[j] != '}' && s->data[j] != '!' && s->data[j] != ':') j++;
    Value v;
    if (j == i + 1) {
      if (1 + auto_idx >= a.n) { st = raise(vm, Exc::IndexError, "Replacement index %d out of range for positional args tuple", auto_idx); break; }
      v = a.v[1 + auto_idx++];
    } else if (all_digits(s->data + i + 1, j - i - 1)) {
      int idx = 0;
      for (uint32_t k = i + 1; k < j && idx < 100000; k++) idx = idx * 10 + (s->data[k] - '0');
      if (1 + idx >= a.n) { st = raise(vm, Exc::IndexError, "Replacement index %d out of range for positional args tuple", idx); break; }
      v = a.v[1 + idx];
    } else {
      bool found = false;
      for (int k = 0; k < a.nkw; k++) {
        Str* kn = as<Str>(a.kwn[k]);
        if (kn->len == j - i - 1 && __builtin_memcmp(kn->data, s->data + i + 1, kn->len) == 0) { v = a.kwv[k]; found = true; }
      }
      if (!found) {
        Value key = new_str(vm, s->data + i + 1, j - i - 1);
        if (key.tag == T::Undef) { st = Status::Memory; break; }
        st = raise(vm, Exc::KeyError, "%R", key);
        break;
      }
    }
    bool conv_r = false;
    if (j < s->len && s->data[j] == '!') { conv_r = j + 1 < s->len && s->data[j + 1] == 'r'; j += 2; }
    uint32_t spec_st = j, spec_en = j;
    if (j < s->len && s->data[j] == ':') { spec_st = j + 1; spec_en = spec_st; while (spec_en < s->len && s->data[spec_en] != '}') spec_en++; j = spec_en; }
    if (j >= s->len || s->data[j] != '}') { st = raise(vm, Exc::ValueError, "expected '}' before end of string"); break; }
    if (conv_r) { st = to_repr(vm, v, &v); if (st != Status::Ok) break; }
    Value piece;
    Str* spec = str_new(vm, s->data + spec_st, spec_en - spec_st);
    if (!spec) { st = Status::Memory; break; }
    size_t m2 = vm->scratch.len;
    st = format_value(vm, v, spec, &piece);
    vm->scratch.len = m2;
    if (st == Status::Ok && !sb_add(vm, as<Str>(piece)->data, as<Str>(piece)->len)) st = Status::Memory;
    i = j;
  }
  if (st != Status::Ok) { vm->scratch.len = mark; return st; }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  RET(mk_obj(r));
}

// ---- list ----
#define SELF_LIST List* l = as<List>(a.v[0])
Status l_append(VM* vm, Args& a, Value* out) {
  SELF_LIST;
  *out = mk_none();
  return list_append(vm, l, a.v[1]);
}
Status l_pop(VM* vm, Args& a, Value* out) {
  SELF_LIST;
  if (l->len == 0) return raise(vm, Exc::IndexError, "pop from empty list");
  int64_t i = l->len - 1;
  if (a.n > 1) {
    Status st = arg_int(vm, a, 1, &i);
    if (st != Status::Ok) return st;
    if (i < 0) i += l->len;
    if (i < 0 || i >= l->len) return raise(vm, Exc::IndexError, "pop index out of range");
  }
  *out = l->items[i];
  for (uint32_t j = static_cast<uint32_t>(i); j + 1 < l->len; j++) l->items[j] = l->items[j + 1];
  l->len--;
  return Status::Ok;
}
Status l_insert(VM* vm, Args& a, Value* out) {
  SELF_LIST;
  int64_t i;
  Status st = arg_int(vm, a, 1, &i);
  if (st != Status::Ok) return st;
  if (i < 0) { i += l->len; if (i < 0) i = 0; }
  if (i > l->len) i = l->len;
  st = list_append(vm, l, mk_none());
  if (st != Status::Ok) return st;
  for (uint32_t j = l->len - 1; j > i; j--) l->items[j] = l->items[j - 1];
  l->items[i] = a.v[2];
  RET(mk_none());
}
Status l_extend(VM* vm, Args& a, Value* out) {
  Value r;
  Status st = binary_op(vm, OP_IADD, a.v[0], a.v[1], &r);
  *out = mk_none();
  return st;
}
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
      for (uint32_t j = i; j + 1 < l->len; j++) l->items[j] = l->items[j + 1];
      l->len--;
      RET(mk_none());
    }
    c++;
  }
  if (mode == 2) RET(mk_int(c));
  if (mode == 1) return raise(vm, Exc::ValueError, "list.remove(x): x not in list");
  return raise(vm, Exc::ValueError, "%R is not in list", a.v[1]);
}
Status l_index(VM* vm, Args& a, Value* out) { return l_index_impl(vm, a, out, 0); }
Status l_remove(VM* vm, Args& a, Value* out) { return l_index_impl(vm, a, out, 1); }
Status l_count(VM* vm, Args& a, Value* out) { return l_index_impl(vm, a, out, 2); }
Status l_sort(VM* vm, Args& a, Value* out) {
  SELF_LIST;
  Value key = mk_none(), rev = mk_bool(false);
  for (int i = 0; i < a.nkw; i++) {
    const char* k = as<Str>(a.kwn[i])->data;
    if (__builtin_strcmp(k, "key") == 0) key = a.kwv[i];
    else if (__builtin_strcmp(k, "reverse") == 0) rev = a.kwv[i];
    else return raise(vm, Exc::TypeError, "'%s' is an invalid keyword argument for sort()", k);
  }
  *out = mk_none();
  return sort_values(vm, l, key, truthy(rev));
}
Status l_reverse(VM*, Args& a, Value* out) {
  SELF_LIST;
  for (uint32_t i = 0, j = l->len; i + 1 < j; i++, j--) { Value t = l->items[i]; l->items[i] = l->items[j - 1]; l->items[j - 1] = t; }
  RET(mk_none());
}
Status l_clear(VM*, Args& a, Value* out) { SELF_LIST; l->len = 0; RET(mk_none()); }
Status l_copy(VM* vm, Args& a, Value* out) {
  SELF_LIST;
  List* n = list_new(vm, l->len);
  if (!n) return Status::Memory;
  for (uint32_t i = 0; i < l->len; i++) n->items[i] = l->items[i];
  n->len = l->len;
  RET(mk_obj(n));
}

// ---- dict ----
#define SELF_DICT Dict* d = as<Dict>(a.v[0])
Status d_get(VM* vm, Args& a, Value* out) {
  SELF_DICT;
  bool found;
  Status st = dict_get_v(vm, d, a.v[1], out, &found);
  if (st != Status::Ok) return st;
  if (!found) *out = a.n > 2 ? a.v[2] : mk_none();
  return Status::Ok;
}
Status d_view(VM* vm, Args& a, Value* out, IterKind k) {
  Iter* it = static_cast<Iter*>(gc_new(vm, T::Iter, sizeof(Iter)));
  if (!it) return Status::Memory;
  it->kind = k;
  it->seq = a.v[0];
  it->seq2 = mk_none();
  it->pos = 0;
  it->end = 0;
  it->step = 1;
  RET(mk_obj(it));
}
Status d_keys(VM* vm, Args& a, Value* out) { return d_view(vm, a, out, IterKind::DictKeys); }
Status d_values(VM* vm, Args& a, Value* out) { return d_view(vm, a, out, IterKind::DictValues); }
Status d_items(VM* vm, Args& a, Value* out) { return d_view(vm, a, out, IterKind::DictItems); }
Status d_pop(VM* vm, Args& a, Value* out) {
  SELF_DICT;
  bool found;
  Status st = dict_get_v(vm, d, a.v[1], out, &found);
  if (st != Status::Ok) return st;
  if (!found) {
    if (a.n > 2) RET(a.v[2]);
    return raise(vm, Exc::KeyError, "%R", a.v[1]);
  }
  uint32_t h;
  value_hash(vm, a.v[1], &h);
  dict_del(d, a.v[1], h);
  return Status::Ok;
}
Status d_setdefault(VM* vm, Args& a, Value* out) {
  SELF_DICT;
  bool found;
  Status st = dict_get_v(vm, d, a.v[1], out, &found);
  if (st != Status::Ok || found) return st;
  *out = a.n > 2 ? a.v[2] : mk_none();
  return dict_set_v(vm, d, a.v[1], *out);
}
Status d_update(VM* vm, Args& a, Value* out) {
  SELF_DICT;
  *out = mk_none();
  if (a.n > 1) {
    if (a.v[1].tag != T::Dict) return raise(vm, Exc::TypeError, "update() argument must be a dict");
    Value r;
    Status st = binary_op(vm, OP_IADD, a.v[0], a.v[1], &r);
    if (st != Status::Ok) return st;
  }
  for (int i = 0; i < a.nkw; i++) {
    Status st = dict_set_v(vm, d, a.kwn[i], a.kwv[i]);
    if (st != Status::Ok) return st;
  }
  return Status::Ok;
}
Status d_clear(VM* vm, Args& a, Value* out) {
  SELF_DICT;
  heap_free(vm->heap, d->entries);
  heap_free(vm->heap, d->index);
  d->entries = nullptr;
  d->index = nullptr;
  d->count = d->used = d->ecap = d->icap = 0;
  RET(mk_none());
}
Status d_copy(VM* vm, Args& a, Value* out) {
  SELF_DICT;
  Dict* n = dict_new(vm);
  if (!n) return Status::Memory;
  *out = mk_obj(n);
  Value r;
  push_root(vm, *out);
  Status st = binary_op(vm, OP_IADD, *out, mk_obj(d), &r);
  pop_roots(vm, 1);
  return st;
}

// ---- bytes / bytearray ----
Status b_decode(VM* vm, Args& a, Value* out) {
  const char* p = a.v[0].tag == T::Bytes ? as<Str>(a.v[0])->data : reinterpret_cast<const char*>(as<ByteArray>(a.v[0])->data);
  uint32_t n = a.v[0].tag == T::Bytes ? as<Str>(a.v[0])->len : as<ByteArray>(a.v[0])->len;
  return ret_str(vm, p, n, out);
}
Status ba_append(VM* vm, Args& a, Value* out) {
  ByteArray* b = as<ByteArray>(a.v[0]);
  int64_t v;
  Status st = arg_int(vm, a, 1, &v);
  if (st != Status::Ok) return st;
  if (v < 0 || v > 255) return raise(vm, Exc::ValueError, "byte must be in range(0, 256)");
  if (b->len == b->cap) {
    uint32_t nc = b->cap < 8 ? 8 : b->cap * 2;
    uint8_t* nd = static_cast<uint8_t*>(heap_alloc(vm->heap, nc));
    if (!nd) return raise(vm, Exc::MemoryError, "");
    if (b->len) __builtin_memcpy(nd, b->data, b->len);
    heap_free(vm->heap, b->data);
    b->data = nd;
    b->cap = nc;
  }
  b->data[b->len++] = static_cast<uint8_t>(v);
  RET(mk_none());
}
Status b_hexm(VM* vm, Args& a, Value* out) {
  const uint8_t* p = a.v[0].tag == T::Bytes ? reinterpret_cast<const uint8_t*>(as<Str>(a.v[0])->data) : as<ByteArray>(a.v[0])->data;
  uint32_t n = a.v[0].tag == T::Bytes ? as<Str>(a.v[0])->len : as<ByteArray>(a.v[0])->len;
  size_t mark = vm->scratch.len;
  for (uint32_t i = 0; i < n; i++) {
    char h[2] = {"0123456789abcdef"[p[i] >> 4], "0123456789abcdef"[p[i] & 15]};
    if (!sb_add(vm, h, 2)) { vm->scratch.len = mark; return Status::Memory; }
  }
  Str* r = sb_take(vm, mark);
  if (!r) return Status::Memory;
  RET(mk_obj(r));
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

const NativeDef* search(const NativeDef* t, size_t n, Str* name) {
  for (size_t i = 0; i < n; i++)
    if (t[i].name[0] == name->data[0] && __builtin_strcmp(t[i].name, name->data) == 0) return &t[i];
  return nullptr;
}
}  // namespace

const NativeDef* find_method(T type, Str* name) {
#define N(t) t, sizeof(t) / sizeof(t[0])
  switch (type) {
    case T::Str: return search(N(kStrMethods), name);
    case T::List: return search(N(kListMethods), name);
    case T::Dict: return search(N(kDictMethods), name);
    case T::Bytes: return search(kBytesMethods, 2, name);
    case T::ByteArray: return search(N(kBytesMethods), name);
    default: return nullptr;
  }
#undef N
}

// Stable merge sort; key and comparisons may run script code, so the keys live in a
// rooted list and errors abort the sort leaving the items permuted but intact.
Status sort_values(VM* vm, List* lst, const Value& key, bool reverse) {
  uint32_t n = lst->len;
  if (n < 2) return Status::Ok;
  // sort a snapshot: key functions and __lt__ may run script code that touches the list
  Tuple* snap = tuple_new(vm, n);
  if (!snap) return Status::Memory;
  for (uint32_t i = 0; i < n; i++) snap->items[i] = lst->items[i];
  push_root(vm, mk_obj(snap));
  Value* items = snap->items;
  List* keys = list_new(vm, n);
  if (!keys) { pop_roots(vm, 1); return Status::Memory; }
  push_root(vm, mk_obj(keys));
  Status st = Status::Ok;
  for (uint32_t i = 0; i < n && st == Status::Ok; i++) {
    Value k = items[i];
    if (key.tag != T::None) st = call_value(vm, key, &items[i], 1, &k);
    keys->items[i] = k;
    keys->len = i + 1;
  }
  // sort an index permutation of (key, item) pairs
  uint32_t* idx = st == Status::Ok ? static_cast<uint32_t*>(raw_alloc(vm, n * sizeof(uint32_t) * 2)) : nullptr;
  if (st == Status::Ok && !idx) st = Status::Memory;
  if (st == Status::Ok) {
    uint32_t* tmp = idx + n;
    for (uint32_t i = 0; i < n; i++) idx[i] = i;
    for (uint32_t w = 1; w < n && st == Status::Ok; w *= 2) {
      for (uint32_t lo = 0; lo < n && st == Status::Ok; lo += 2 * w) {
        uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
        uint32_t i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
          bool lt;
          // stable: take from the right only when strictly "before"
          st = reverse ? compare_lt(vm, keys->items[idx[i]], keys->items[idx[j]], &lt)
                       : compare_lt(vm, keys->items[idx[j]], keys->items[idx[i]], &lt);
          if (st != Status::Ok) break;
          tmp[k++] = lt ? idx[j++] : idx[i++];
        }
        if (st != Status::Ok) break;
        while (i < mid) tmp[k++] = idx[i++];
        while (j < hi) tmp[k++] = idx[j++];
        for (uint32_t q = lo; q < hi; q++) idx[q] = tmp[q];
      }
    }
    if (st == Status::Ok) {
      if (lst->len != n) st = raise(vm, Exc::ValueError, "list modified during sort");
      else for (uint32_t i = 0; i < n; i++) lst->items[i] = items[idx[i]];
    }
    raw_free(vm, idx);
  }
  pop_roots(vm, 2);
  return st;
}

}  // namespace hilsim::vm
