import { Link } from 'react-router';

const VALUE_PROPS = [
  {
    title: 'Independent sellers',
    text: 'Every product comes from a real shop with its own page, ratings and reviews.',
  },
  {
    title: 'Stock you can trust',
    text: 'Items are reserved the moment you order, so what you pay for is on the shelf.',
  },
  {
    title: 'One cart, many shops',
    text: 'Fill one cart from several sellers and check out each shop’s order in a few clicks.',
  },
  {
    title: 'Track every order',
    text: 'Follow each order from payment to your door, with a notification at every step.',
  },
];

export function Component() {
  return (
    <>
      <title>Edge Shop — independent sellers, one checkout</title>
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero__inner container">
          <p className="hero__eyebrow">A marketplace of independent shops</p>
          <h1 id="hero-title" className="hero__title">
            Find something made with care, from sellers who know their craft.
          </h1>
          <p className="hero__lead">
            Electronics, clothing, kitchenware and more from independent sellers — with live stock, secure payment and
            order tracking built in.
          </p>
          <div className="hero__actions">
            <Link className="button button--primary button--large" to="/products">
              Browse the catalog
            </Link>
            <Link className="button button--secondary button--large" to="/categories">
              Shop by category
            </Link>
          </div>
        </div>
      </section>
      <section className="value-props container" aria-labelledby="value-props-title">
        <h2 id="value-props-title" className="value-props__title">
          Why shop with us
        </h2>
        <ul className="value-props__list">
          {VALUE_PROPS.map((item) => (
            <li key={item.title} className="value-props__item">
              <h3 className="value-props__item-title">{item.title}</h3>
              <p>{item.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
