// Sphinx's default search scores (sphinx/themes/basic/static/searchtools.js),
// with one change: the pages and objects of the private modules (the
// internals, skcourse._*) come after the public API, the user guide and the
// examples. A search for "perceptron" used to open on skcourse._perceptron.
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score, filename, kind] = result;
    const internal =
      docname.startsWith("gen_modules/skcourse._") ||
      title.startsWith("skcourse._");
    return internal ? score - 30 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
