import type { PageCtx } from "../page.js";

/** A plain GET form: works without JavaScript. */
export function SearchForm(props: { page: PageCtx; value?: string }) {
  const { t, lang } = props.page;
  return (
    <form class="search" method="get" action={props.page.miniApp ? "/app/search" : "/search"} role="search">
      <input type="hidden" name="lang" value={lang} />
      <label for="q">{t("web.search.label")}</label>
      <input id="q" name="q" type="search" maxlength={200} value={props.value ?? ""} placeholder={t("web.search.placeholder")} autocomplete="off" />
      <button type="submit">{t("web.search.button")}</button>
    </form>
  );
}
