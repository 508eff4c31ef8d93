package org.plenum.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What contributors type into a word cloud: groups of spellings that docs/protocol.md says are one
 * word (case, German ß/SS, Unicode NFC vs decomposed, invisible characters, surrounding
 * punctuation, emoji variation selectors). Fewer groups than the top-100 list, so every key's
 * count can be checked exactly. Popularity is skewed, as in a real cloud.
 */
public final class WordVocabulary {

  /** One word as meant, with the key the docs' rules give and spellings that must all map to it. */
  public record Group(String key, List<String> spellings) {
  }

  static final List<Group> GROUPS = List.of(
      g("datenschutz", "Datenschutz", "datenschutz", "DATENSCHUTZ!", "  Datenschutz  "),
      g("digitale souveränität", "Digitale Souveränität", "digitale souveränität",
          "Digitale Souvera\u0308nita\u0308t", "Digitale   Souveränität"),
      g("open source", "Open Source", "open source", "\"Open Source\""),
      g("strasse", "Straße", "STRASSE", "strasse"),
      g("ärger", "Ärger", "ärger", "ÄRGER"),
      g("ki", "KI", "#KI!", "ki"),
      g("e-government", "E-Government", "e-government"),
      g("transparenz", "Transparenz", "Trans\u200Bparenz", "transparenz."),
      g("cloud", "Cloud", "cloud"),
      g("❤", "❤️", "❤"),
      g("🚀", "🚀", " 🚀 "),
      g("verwaltung", "Verwaltung", "verwaltung"),
      g("bürgernähe", "Bürgernähe", "BÜRGERNÄHE"),
      g("effizienz", "Effizienz"),
      g("sicherheit", "Sicherheit", "sicherheit"),
      g("vertrauen", "Vertrauen"),
      g("interoperabilität", "Interoperabilität"),
      g("nachhaltigkeit", "Nachhaltigkeit"),
      g("barrierefreiheit", "Barrierefreiheit", "barrierefreiheit"),
      g("registermodernisierung", "Registermodernisierung"),
      g("ozg", "OZG", "ozg"),
      g("eudi-wallet", "EUDI-Wallet", "eudi-wallet"),
      g("onlinezugang", "Onlinezugang"),
      g("datenräume", "Datenräume"),
      g("open data", "Open Data", "open data"),
      g("fachkräfte", "Fachkräfte"),
      g("zusammenarbeit", "Zusammenarbeit"),
      g("agilität", "Agilität"),
      g("innovation", "Innovation", "innovation!"),
      g("standards", "Standards"),
      g("föderalismus", "Föderalismus"),
      g("geschwindigkeit", "Geschwindigkeit"),
      g("resilienz", "Resilienz"),
      g("kosten", "Kosten"),
      g("mut", "Mut"),
      g("teilhabe", "Teilhabe"),
      g("bildung", "Bildung"),
      g("infrastruktur", "Infrastruktur"),
      g("kommunen", "Kommunen"),
      g("europa", "Europa", "EUROPA"),
      g("digitale identität", "Digitale Identität"),
      g("once only", "Once Only", "once only"),
      g("nutzerzentrierung", "Nutzerzentrierung"),
      g("automatisierung", "Automatisierung"),
      g("glasfaser", "Glasfaser"),
      g("souveräne cloud", "Souveräne Cloud"),
      g("low code", "Low Code"),
      g("mehr tempo", "Mehr Tempo", "mehr Tempo!"),
      g("weniger papier", "Weniger Papier"),
      g("gemeinsam", "Gemeinsam"));

  private static Group g(String key, String... spellings) {
    return new Group(key, List.of(spellings));
  }

  private WordVocabulary() {
  }

  /** Expected key per group (the group is named by its key). */
  public static Map<String, String> expectedKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Group g : GROUPS) {
      m.put(g.key(), g.key());
    }
    return m;
  }

  /** {@code n} different groups, popular ones more often, each with a random spelling. */
  public static List<String[]> pick(Random r, int n) {
    List<String[]> out = new ArrayList<>(n);
    List<Integer> taken = new ArrayList<>();
    int size = GROUPS.size();
    for (int attempt = 0; out.size() < Math.min(n, size) && attempt < 1000; attempt++) {
      double x = r.nextDouble();
      int i = Math.min(size - 1, (int) (size * x * x));
      if (taken.contains(i)) {
        continue;
      }
      taken.add(i);
      Group g = GROUPS.get(i);
      out.add(new String[] {g.key(), g.spellings().get(r.nextInt(g.spellings().size()))});
    }
    return out;
  }
}
