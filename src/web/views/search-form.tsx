import type { Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";

/** A plain GET form: works without JavaScript. */
export function SearchForm(props: { t: Translate; lang: Lang; value?: string }) {
  const { t, lang } = props;
  return (
    <form class="search" method="get" action="/search" role="search">
      <input type="hidden" name="lang" value={lang} />
      <label for="q">{t("web.search.label")}</label>
      <input id="q" name="q" type="search" maxlength={200} value={props.value ?? ""} placeholder={t("web.search.placeholder")} autocomplete="off" />
      <button type="submit">{t("web.search.button")}</button>
    </form>
  );
}
