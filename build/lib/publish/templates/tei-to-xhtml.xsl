<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI P5 (the publish subset) → one XHTML 5 document (XML syntax), shared by
  the PDF and EPUB renderers. Sections: title page, text, colophon; each has
  an epub:type (EPUB 3 Structural Semantics Vocabulary) the EPUB renderer
  uses to split the book into content documents.
  Parameters: target = 'pdf' | 'epub' | 'site' (the reading room's reading view, which
  takes its notes as the EPUB does: a noteref link, the note an aside after the text);
  css = the stylesheet href; dir and lang, the document's direction and language
  (computed from the text by the caller).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns="http://www.w3.org/1999/xhtml"
    xmlns:epub="http://www.idpf.org/2007/ops"
    exclude-result-prefixes="tei">

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="no"/>
  <xsl:param name="target" select="'pdf'"/>
  <xsl:param name="css" select="''"/>
  <xsl:param name="dir" select="'ltr'"/>
  <!-- The document's language: xml:lang, or und-<Script> when that is und
       (publish/render/xhtml.py), so stylesheets choose faces by script. -->
  <xsl:param name="lang" select="/tei:TEI/@xml:lang"/>
  <xsl:variable name="header" select="/tei:TEI/tei:teiHeader"/>
  <xsl:variable name="title" select="normalize-space($header/tei:fileDesc/tei:titleStmt/tei:title)"/>
  <xsl:variable name="bibl" select="$header/tei:fileDesc/tei:sourceDesc/tei:bibl"/>
  <xsl:variable name="pub" select="$header/tei:fileDesc/tei:publicationStmt"/>

  <xsl:template match="/">
    <html lang="{$lang}" xml:lang="{$lang}" dir="{$dir}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$title"/></title>
        <xsl:if test="$css != ''"><link rel="stylesheet" type="text/css" href="{$css}"/></xsl:if>
        <meta name="dc.identifier" content="{$pub/tei:idno[@type='URN']}"/>
      </head>
      <body class="{$target}">
        <xsl:call-template name="titlepage"/>
        <section id="text" class="text" epub:type="bodymatter chapter" role="doc-chapter"
                 aria-label="{$title}">
          <xsl:apply-templates select="/tei:TEI/tei:text/tei:body"/>
          <xsl:if test="$target = 'epub' or $target = 'site'">
            <xsl:apply-templates select="/tei:TEI/tei:text//tei:note" mode="aside"/>
          </xsl:if>
        </section>
        <xsl:call-template name="colophon"/>
      </body>
    </html>
  </xsl:template>

  <!-- Title page: title, author, date, publisher, source description. Values from
       the sidecar may be in another language than the text: dir="auto" (HTML
       Living Standard, the dir attribute) lets each take its own direction. -->
  <xsl:template name="titlepage">
    <section id="titlepage" class="titlepage" epub:type="frontmatter titlepage" aria-label="Title page">
      <h1 class="title" dir="auto"><xsl:value-of select="$title"/></h1>
      <xsl:for-each select="$header/tei:fileDesc/tei:titleStmt/tei:author">
        <p class="author" dir="auto"><xsl:value-of select="."/></p>
      </xsl:for-each>
      <xsl:if test="$bibl/tei:date">
        <p class="date"><time datetime="{$bibl/tei:date/@when}"><xsl:value-of select="$bibl/tei:date"/></time></p>
      </xsl:if>
      <p class="publisher" dir="auto"><xsl:value-of select="$pub/tei:publisher | $pub/tei:authority"/></p>
      <xsl:if test="$bibl/tei:note[@type='description']">
        <p class="source" dir="auto"><xsl:value-of select="$bibl/tei:note[@type='description']"/></p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- Colophon: the provenance an archive needs to trust the edition. -->
  <xsl:template name="colophon">
    <!-- The colophon is the archive's record, written in English (left to right);
         only the title keeps the document's language and direction. -->
    <section id="colophon" class="colophon" epub:type="backmatter colophon" aria-label="Colophon"
             lang="en" xml:lang="en" dir="ltr">
      <h2>Colophon</h2>
      <dl>
        <dt>Title</dt><dd lang="{$lang}" xml:lang="{$lang}" dir="auto"><xsl:value-of select="$title"/></dd>
        <dt>Identifier</dt><dd><xsl:value-of select="$pub/tei:idno[@type='URN']"/> (<xsl:value-of select="$pub/tei:idno[@type='local']"/>)</dd>
        <dt>Source file</dt><dd><xsl:value-of select="$bibl/tei:idno[@type='filename']"/>
          (<xsl:value-of select="$bibl/tei:extent/tei:measure"/>, <xsl:value-of select="$bibl/tei:note[@type='mediaType']"/>
          <xsl:if test="$bibl/tei:note[@type='characterEncoding']">, <xsl:value-of select="$bibl/tei:note[@type='characterEncoding']"/></xsl:if>)</dd>
        <dt>Source SHA-256</dt><dd class="checksum"><xsl:value-of select="$bibl/tei:idno[@type='sha256']"/></dd>
        <dt>Source date</dt><dd><xsl:choose>
          <xsl:when test="$bibl/tei:date"><xsl:value-of select="$bibl/tei:date/@when"/></xsl:when>
          <xsl:otherwise>unknown</xsl:otherwise></xsl:choose></dd>
        <dt>Publisher</dt><dd><xsl:value-of select="$pub/tei:publisher | $pub/tei:authority"/></dd>
        <dt>Licence</dt><dd dir="auto"><xsl:value-of select="normalize-space($pub/tei:availability)"/></dd>
        <dt>Normaliser</dt><dd>publish <xsl:value-of select="$header/tei:encodingDesc/tei:appInfo/tei:application/@version"/>,
          <xsl:value-of select="$header/tei:encodingDesc/tei:appInfo/tei:application/tei:desc"/></dd>
        <dt>Built</dt><dd><xsl:value-of select="$pub/tei:date/@when"/></dd>
        <dt>Archival master</dt><dd>TEI P5 XML<xsl:if test="$target = 'pdf'">, embedded in this PDF as an associated file</xsl:if></dd>
      </dl>
    </section>
  </xsl:template>

  <!-- Divisions and headings: nested div → section, head → h2…h6. -->
  <xsl:template match="tei:body"><xsl:apply-templates select="*"/></xsl:template>
  <xsl:template match="tei:div">
    <section>
      <xsl:call-template name="id"/>
      <xsl:apply-templates select="*"/>
    </section>
  </xsl:template>
  <xsl:template match="tei:head">
    <xsl:variable name="level" select="count(ancestor::tei:div) + 2"/>
    <xsl:element name="h{($level &gt; 6) * 6 + ($level &lt;= 6) * $level}">
      <xsl:call-template name="id"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
  <xsl:template match="tei:p | tei:ab"><p><xsl:call-template name="id"/><xsl:apply-templates/></p></xsl:template>

  <!-- Phrases. Quotation marks are in the text (kept by the normaliser). -->
  <xsl:template match="tei:lb"><br/></xsl:template>
  <xsl:template match="tei:q"><span class="q"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:pc"><span class="pc {@type}"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:choice"><xsl:apply-templates select="tei:reg"/></xsl:template>
  <xsl:template match="tei:reg"><xsl:apply-templates/></xsl:template>

  <!-- Carry xml:id and xml:lang through as id and lang. -->
  <xsl:template name="id">
    <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      <xsl:attribute name="xml:lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- structures from issue 5: lists, tables, figures, notes, quotations, verse, phrases.
       HTML Living Standard content models; EPUB 3.3 §6.1 (XHTML content documents);
       EPUB 3 Structural Semantics (noteref, footnote) with DPUB-ARIA roles; WeasyPrint's
       CSS GCPM footnotes (float: footnote) for the PDF. -->
  <xsl:template match="tei:p[tei:list | tei:table | tei:figure | tei:quote | tei:lg
                       | tei:milestone[@unit = 'section' or @rend = 'rule']]">
    <!-- HTML's p holds only phrasing content: a paragraph holding a list is a div. -->
    <div class="p"><xsl:call-template name="id"/><xsl:apply-templates/></div>
  </xsl:template>
  <xsl:template match="tei:ab[@type = 'pre']"><pre><xsl:call-template name="id"/><xsl:apply-templates/></pre></xsl:template>
  <xsl:template match="tei:ab[@type = 'heading']"><p class="heading"><xsl:call-template name="id"/><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:ab[@type and @type != 'pre' and @type != 'heading']">
    <p class="{@type}"><xsl:call-template name="id"/><xsl:apply-templates/></p>
  </xsl:template>

  <!-- Fallback content (of object, iframe, video, …) and inline SVG's text, marked by class. -->
  <xsl:template match="tei:seg"><span class="{@type}"><xsl:apply-templates/></span></xsl:template>

  <xsl:template match="tei:hi">
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="@rend = 'italic'">i</xsl:when>
        <xsl:when test="@rend = 'bold'">b</xsl:when>
        <xsl:when test="@rend = 'underline'">u</xsl:when>
        <xsl:when test="@rend = 'strikethrough'">s</xsl:when>
        <xsl:when test="@rend = 'superscript'">sup</xsl:when>
        <xsl:when test="@rend = 'subscript'">sub</xsl:when>
        <xsl:when test="@rend = 'code'">code</xsl:when>
        <xsl:otherwise>span</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:if test="$name = 'span'"><xsl:attribute name="class">hi <xsl:value-of select="translate(@rend, '#', '')"/></xsl:attribute></xsl:if>
      <xsl:call-template name="id"/><xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
  <xsl:template match="tei:code"><code><xsl:value-of select="."/></code></xsl:template>
  <xsl:template match="tei:foreign"><span class="foreign"><xsl:call-template name="id"/><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:ref[@target]"><a href="{@target}"><xsl:call-template name="id"/><xsl:apply-templates/></a></xsl:template>
  <xsl:template match="tei:ref"><span class="ref"><xsl:apply-templates/></span></xsl:template>
  <!-- A thematic break is an hr where HTML allows one (flow content); in a phrase, nothing. -->
  <xsl:template match="tei:milestone[@unit = 'section' or @rend = 'rule']
                       [parent::tei:body or parent::tei:div or parent::tei:p or parent::tei:item
                        or parent::tei:cell or parent::tei:quote or parent::tei:note]"><hr class="milestone"/></xsl:template>
  <xsl:template match="tei:milestone"/>

  <!-- Quotations: a block quotation, or a quotation inside a sentence. -->
  <xsl:template match="tei:quote">
    <blockquote><xsl:call-template name="id"/><xsl:apply-templates/></blockquote>
  </xsl:template>
  <xsl:template match="tei:quote[parent::tei:p or parent::tei:head or parent::tei:hi or parent::tei:q
                       or parent::tei:ref or parent::tei:l or parent::tei:label or parent::tei:ab
                       or parent::tei:foreign or parent::tei:quote[not(tei:p | tei:ab | tei:lg)]]
                       [not(tei:p | tei:ab | tei:lg | tei:list | tei:table | tei:figure)]">
    <q class="quote"><xsl:call-template name="id"/><xsl:apply-templates/></q>
  </xsl:template>
  <xsl:template match="tei:lg"><div class="lg"><xsl:call-template name="id"/><xsl:apply-templates/></div></xsl:template>
  <xsl:template match="tei:lg/tei:head"><p class="lg-head"><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:l"><div class="l"><xsl:call-template name="id"/><xsl:apply-templates/></div></xsl:template>

  <!-- Lists: ordered, unordered, and gloss lists as description lists. -->
  <xsl:template match="tei:list">
    <xsl:apply-templates select="tei:head" mode="caption"/>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="@type = 'ordered'">ol</xsl:when>
        <xsl:otherwise>ul</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}"><xsl:call-template name="id"/><xsl:apply-templates select="tei:item"/></xsl:element>
  </xsl:template>
  <xsl:template match="tei:list[@type = 'gloss']">
    <xsl:apply-templates select="tei:head" mode="caption"/>
    <dl><xsl:call-template name="id"/><xsl:apply-templates select="tei:label | tei:item"/></dl>
  </xsl:template>
  <xsl:template match="tei:list/tei:head" mode="caption"><p class="list-head"><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:item"><li><xsl:call-template name="id"/><xsl:apply-templates/></li></xsl:template>
  <xsl:template match="tei:list[@type = 'gloss']/tei:item"><dd><xsl:call-template name="id"/><xsl:apply-templates/></dd></xsl:template>
  <xsl:template match="tei:list[@type = 'gloss']/tei:label"><dt><xsl:call-template name="id"/><xsl:apply-templates/></dt></xsl:template>

  <!-- Tables: leading label rows are the head (repeated on each PDF page), th with scope. -->
  <xsl:template match="tei:table">
    <xsl:variable name="head-rows" select="tei:row[@role = 'label'][not(preceding-sibling::tei:row[not(@role = 'label')])]"/>
    <table><xsl:call-template name="id"/>
      <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
      <xsl:if test="$head-rows"><thead><xsl:apply-templates select="$head-rows"/></thead></xsl:if>
      <tbody><xsl:apply-templates select="tei:row[count(. | $head-rows) != count($head-rows)]"/></tbody>
    </table>
  </xsl:template>
  <xsl:template match="tei:row"><tr><xsl:call-template name="id"/><xsl:apply-templates select="tei:cell"/></tr></xsl:template>
  <xsl:template match="tei:cell">
    <xsl:variable name="header-row" select="../@role = 'label'"/>
    <xsl:element name="{substring('tdth', 1 + 2 * number($header-row or @role = 'label'), 2)}">
      <xsl:call-template name="id"/>
      <xsl:if test="$header-row"><xsl:attribute name="scope">col</xsl:attribute></xsl:if>
      <xsl:if test="not($header-row) and @role = 'label'"><xsl:attribute name="scope">row</xsl:attribute></xsl:if>
      <xsl:if test="@cols"><xsl:attribute name="colspan"><xsl:value-of select="@cols"/></xsl:attribute></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan"><xsl:value-of select="@rows"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Figures: the image with its alt text (figDesc), the caption (head) below. -->
  <xsl:template match="tei:figure">
    <figure><xsl:call-template name="id"/>
      <xsl:apply-templates select="tei:graphic"/>
      <xsl:apply-templates select="tei:p"/>
      <xsl:if test="tei:head"><figcaption><xsl:apply-templates select="tei:head/node()"/></figcaption></xsl:if>
    </figure>
  </xsl:template>
  <xsl:template match="tei:graphic">
    <img src="{@url}" alt="{normalize-space(../tei:figDesc)}"/>
  </xsl:template>
  <xsl:template match="tei:figDesc"/>

  <!-- Notes. PDF: the note stays where it is referred to and floats to the foot of
       the page (float: footnote; WeasyPrint draws the call and the marker).
       EPUB and site: a noteref link there, the note an aside at the end of the text. -->
  <xsl:template match="tei:note">
    <xsl:variable name="number" select="count(preceding::tei:note[ancestor::tei:text]) + 1"/>
    <xsl:choose>
      <xsl:when test="$target = 'epub' or $target = 'site'">
        <a class="noteref" epub:type="noteref" role="doc-noteref" href="#{@xml:id}" id="ref-{@xml:id}"><sup><xsl:value-of select="$number"/></sup></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="footnote"><xsl:call-template name="id"/><xsl:apply-templates mode="footnote"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:note" mode="aside">
    <xsl:variable name="number" select="count(preceding::tei:note[ancestor::tei:text]) + 1"/>
    <aside class="footnote" epub:type="footnote" role="doc-footnote" id="{@xml:id}">
      <xsl:choose>
        <xsl:when test="tei:p | tei:ab | tei:lg | tei:list | tei:table | tei:quote[tei:p] | tei:figure">
          <xsl:apply-templates/>
        </xsl:when>
        <xsl:otherwise><p><xsl:apply-templates/></p></xsl:otherwise>
      </xsl:choose>
      <p class="backlink"><a href="#ref-{@xml:id}" role="doc-backlink">↑ <xsl:value-of select="$number"/></a></p>
    </aside>
  </xsl:template>
  <!-- In a PDF footnote, blocks become spans: the note sits inside a paragraph. -->
  <xsl:template match="tei:p | tei:ab | tei:lg | tei:l | tei:item | tei:label | tei:quote" mode="footnote">
    <span class="{local-name()}"><xsl:apply-templates mode="footnote"/></span>
  </xsl:template>
  <xsl:template match="tei:list | tei:table | tei:row | tei:cell | tei:figure | tei:head" mode="footnote">
    <span class="{local-name()}"><xsl:apply-templates mode="footnote"/><xsl:text> </xsl:text></span>
  </xsl:template>
  <xsl:template match="tei:figDesc | tei:graphic" mode="footnote"/>
  <!-- Newlines and tabs in a footnote become spaces: WeasyPrint 70 fails on a line break
       inside a float: footnote ("Got ' \n' between two lines"). CSS collapses them anyway. -->
  <xsl:template match="text()" mode="footnote"><xsl:value-of select="translate(., '&#10;&#13;&#9;', '   ')"/></xsl:template>
  <xsl:template match="*" mode="footnote"><xsl:apply-templates select="."/></xsl:template>

  <!-- Anything unknown: keep its text rather than lose it. -->
  <xsl:template match="tei:*"><span class="tei-{local-name()}"><xsl:apply-templates/></span></xsl:template>
</xsl:stylesheet>
