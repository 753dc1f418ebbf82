<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI P5 (the publish subset) → one XHTML 5 document (XML syntax), shared by
  the PDF and EPUB renderers. Sections: title page, text, colophon; each has
  an epub:type (EPUB 3 Structural Semantics Vocabulary) the EPUB renderer
  uses to split the book into content documents.
  Parameters: target = 'pdf' | 'epub'; css = the stylesheet href.
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

  <xsl:variable name="lang" select="/tei:TEI/@xml:lang"/>
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

  <!-- Anything unknown: keep its text rather than lose it. -->
  <xsl:template match="tei:*"><span class="tei-{local-name()}"><xsl:apply-templates/></span></xsl:template>
</xsl:stylesheet>
